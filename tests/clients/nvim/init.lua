-- A headless neovim session that drives `mlintern serve` with neovim's built-in LSP client
-- (no plugins, no lspconfig; neovim 0.7 or later). The test (NeovimClientTests) runs
--   MLINTERN_CMD='["mlintern","serve"]' MLINTERN_FILE=/tmp/x/train.py MLINTERN_OUT=/tmp/x/out.json \
--     nvim --headless -u tests/clients/nvim/init.lua
-- It opens the file, waits for the diagnostics, asks for the code actions at the MLI501 finding,
-- applies its quick fix with vim.lsp.util.apply_workspace_edit, writes the buffer, waits for the
-- diagnostics of the fixed text, stops the server and writes what it saw to MLINTERN_OUT as JSON.
-- MLINTERN_SETTINGS (optional, JSON) is the client's `settings`: neovim answers the server's
-- workspace/configuration pull of the "mlintern" section from it.

local out = assert(os.getenv('MLINTERN_OUT'), 'MLINTERN_OUT is not set')
local result = { steps = {} }

local function save()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
end

local function step(name)
  table.insert(result.steps, name)
  save()
end

local function lsp_code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function run()
  local cmd = vim.fn.json_decode((assert(os.getenv('MLINTERN_CMD'), 'MLINTERN_CMD is not set')))
  local file = assert(os.getenv('MLINTERN_FILE'), 'MLINTERN_FILE is not set')
  -- Optional: the settings neovim sends (didChangeConfiguration) and answers workspace/configuration with, e.g. {"mlintern":{"ignore":["MLI505"]}}.
  local settings = os.getenv('MLINTERN_SETTINGS') and vim.fn.json_decode(os.getenv('MLINTERN_SETTINGS')) or nil

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  step('opened')

  local client_id = vim.lsp.start_client({
    name = 'mlintern',
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    settings = settings,
    -- neovim answers workspace/configuration from `settings` (vim.lsp.handlers); 0.7 does not say so
    -- in its capabilities (0.8 and later do), so it is said here and the server pulls the section.
    capabilities = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), { workspace = { configuration = true } }),
    on_exit = function(code, signal)
      result.server_exit = { code = code, signal = signal }
      save()
    end,
  })
  assert(client_id, 'vim.lsp.start_client did not start mlintern')
  vim.lsp.buf_attach_client(bufnr, client_id)

  local function diagnostics()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      table.insert(list, { code = lsp_code(d), lnum = d.lnum, col = d.col, end_col = d.end_col, source = d.source, message = d.message })
    end
    table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and tostring(a.code) < tostring(b.code)) end)
    return list
  end

  assert(vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50), 'no diagnostics within 60 s')
  local client = vim.lsp.get_client_by_id(client_id)
  result.position_encoding = client.server_capabilities and client.server_capabilities.positionEncoding or nil
  result.offset_encoding = client.offset_encoding
  result.diagnostics = diagnostics()
  step('diagnostics')

  local target
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if lsp_code(d) == 'MLI501' then target = d end
  end
  assert(target, 'no MLI501 diagnostic')

  -- neovim keeps a diagnostic's position in bytes (lnum/col); the request's range goes back to the
  -- client's offset encoding the way neovim's own range code action does.
  local range = vim.lsp.util.make_given_range_params(
    { target.lnum + 1, target.col }, { target.end_lnum + 1, target.end_col }, bufnr, client.offset_encoding).range
  result.request_range = range
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = range,
    context = { diagnostics = { { range = range, message = target.message, code = lsp_code(target), severity = target.severity, source = target.source } } },
  }
  local answers = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 20000)
  assert(answers and answers[client_id], 'no answer to textDocument/codeAction')
  assert(not answers[client_id].err, 'textDocument/codeAction failed: ' .. vim.inspect(answers[client_id].err))
  result.actions = {}
  local fix
  for _, action in ipairs(answers[client_id].result or {}) do
    table.insert(result.actions, { title = action.title, kind = action.kind })
    if action.kind == 'quickfix' and action.title:find('MLI501', 1, true) then fix = action end
  end
  assert(fix and fix.edit, 'no MLI501 quick fix with an edit')
  step('code actions')

  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  vim.cmd('write')
  step('fixed and written')

  assert(vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if lsp_code(d) == 'MLI501' then return false end
    end
    return #vim.diagnostic.get(bufnr) > 0
  end, 50), 'MLI501 still shown 30 s after the fix')
  result.after = diagnostics()
  step('diagnostics after the fix')

  vim.lsp.stop_client(client_id)
  assert(vim.wait(20000, function() return result.server_exit ~= nil end, 50), 'the server did not exit within 20 s of shutdown/exit')
  step('stopped')
end

local ok, err = pcall(run)
if not ok then
  result.error = tostring(err)
  save()
  vim.cmd('cquit 1')
else
  save()
  vim.cmd('qall!')
end
