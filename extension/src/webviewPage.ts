// The one page skeleton of ML Intern's webviews: a strict Content-Security-Policy (nothing from
// the network; styles and scripts only with this render's nonce), the view's own CSS, body and script.

export interface PageOptions {
  /** The webview's `cspSource`. */
  readonly cspSource: string;
  /** A fresh random nonce per render. */
  readonly nonce: string;
}

export function webviewPage(title: string, options: PageOptions, parts: { readonly css: string; readonly body: string; readonly script: string }): string {
  const { nonce } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${options.cspSource} data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${title}</title>
<style nonce="${nonce}">${parts.css}</style>
</head>
<body>
${parts.body}
<script nonce="${nonce}">${parts.script}</script>
</body>
</html>`;
}
