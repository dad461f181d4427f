;;; run.el --- Emacs's eglot (1.9, Debian's elpa-eglot) driving `mlintern serve' in batch mode  -*- lexical-binding: t -*-
;;
;; The test (EglotClientTests) runs
;;   MLINTERN_CMD='["mlintern","serve"]' MLINTERN_FILE=/tmp/x/train.py MLINTERN_OUT=/tmp/x/out.json \
;;     emacs --batch -l tests/clients/eglot/run.el
;; It opens the file in python-mode, connects eglot, records the diagnostics as eglot places them in
;; the buffer (eglot converts the server's UTF-16 columns to Emacs characters), asks for the code
;; actions over the buffer, applies the rename quick fix the way eglot's own menu does, saves,
;; waits for the fixed text's diagnostics, shuts the server down and writes what it saw as JSON.
;; MLINTERN_SETTINGS (optional, JSON) becomes `eglot-workspace-configuration': eglot answers the
;; server's workspace/configuration pull from it.

(require 'json)
(package-initialize)
(require 'eglot)
(require 'python)

(defvar mlintern-result (list (cons 'steps nil)))
(defvar mlintern-out (or (getenv "MLINTERN_OUT") (error "MLINTERN_OUT is not set")))
(defvar mlintern-diagnostics nil "The last diagnostics eglot received, as (line col end-line end-col code source).")
(defvar mlintern-received 0 "How many publishDiagnostics notifications for the file arrived.")

(defun mlintern-save ()
  (with-temp-file mlintern-out
    (insert (json-encode mlintern-result))))

(defun mlintern-set (key value)
  (setf (alist-get key mlintern-result) value)
  (mlintern-save))

(defun mlintern-step (name)
  (setf (alist-get 'steps mlintern-result) (append (alist-get 'steps mlintern-result) (list name)))
  (mlintern-save))

(defun mlintern-wait (predicate seconds what)
  "Let eglot's process filters run until PREDICATE holds, at most SECONDS."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall predicate)
      (error "Timed out after %s s waiting for %s" seconds what))))

(defun mlintern-position (pos)
  "POS as (0-based line . character offset in the line), counted in Emacs characters."
  (save-excursion
    (goto-char pos)
    (cons (1- (line-number-at-pos pos)) (- pos (line-beginning-position)))))

;; Record each diagnostic where eglot's own range conversion puts it, then let eglot handle it.
(advice-add
 'eglot-handle-notification :before
 (lambda (_server method &rest params)
   (when (eq method 'textDocument/publishDiagnostics)
     (let ((buffer (find-buffer-visiting (eglot--uri-to-path (plist-get params :uri)))))
       (when buffer
         (with-current-buffer buffer
           (setq mlintern-diagnostics
                 (sort
                  (cl-loop for d across (plist-get params :diagnostics)
                           collect (pcase-let* ((`(,beg . ,end) (eglot--range-region (plist-get d :range)))
                                                (start (mlintern-position beg))
                                                (stop (mlintern-position end)))
                                     (list (cons 'lnum (car start)) (cons 'col (cdr start))
                                           (cons 'end_lnum (car stop)) (cons 'end_col (cdr stop))
                                           (cons 'code (plist-get d :code)) (cons 'source (plist-get d :source))
                                           (cons 'severity (plist-get d :severity)))))
                  (lambda (a b) (or (< (alist-get 'lnum a) (alist-get 'lnum b))
                                    (and (= (alist-get 'lnum a) (alist-get 'lnum b))
                                         (string< (format "%s" (alist-get 'code a)) (format "%s" (alist-get 'code b))))))))
           (setq mlintern-received (1+ mlintern-received))))))))

(defun mlintern-run ()
  (let* ((cmd (append (json-parse-string (or (getenv "MLINTERN_CMD") (error "MLINTERN_CMD is not set"))) nil))
         (file (or (getenv "MLINTERN_FILE") (error "MLINTERN_FILE is not set")))
         (settings (getenv "MLINTERN_SETTINGS"))
         (eglot-sync-connect t)
         (eglot-connect-timeout 120)
         (eglot-autoshutdown nil)
         (eglot-events-buffer-size 0)
         (server nil))
    (when settings
      (setq-default eglot-workspace-configuration (json-parse-string settings :object-type 'plist)))
    (find-file file)
    (python-mode)
    (mlintern-step "opened")
    (setq server (eglot '(python-mode) (cons 'transient (file-name-directory file)) 'eglot-lsp-server cmd "python"))
    (mlintern-set 'server_name (plist-get (eglot--server-info server) :name))
    (mlintern-step "connected")

    (mlintern-wait (lambda () (and (> mlintern-received 0) mlintern-diagnostics)) 120 "the first diagnostics")
    ;; The server may publish again once the data set profile is in; take the settled list.
    (let ((seen -1))
      (while (/= seen mlintern-received)
        (setq seen mlintern-received)
        (let ((deadline (+ (float-time) 3)))
          (while (and (= seen mlintern-received) (< (float-time) deadline))
            (accept-process-output nil 0.05)))))
    (mlintern-set 'diagnostics (vconcat mlintern-diagnostics))
    (mlintern-step "diagnostics")

    (let* ((actions (eglot-code-actions (point-min) (point-max)))
           (rename (cl-find-if (lambda (a) (and (equal (plist-get a :kind) "quickfix")
                                                (string-prefix-p "Rename 'evaluation_strategy'" (plist-get a :title))))
                               actions)))
      (mlintern-set 'actions (vconcat (mapcar (lambda (a) (list (cons 'title (plist-get a :title)) (cons 'kind (plist-get a :kind)))) actions)))
      (mlintern-step "actions")
      (unless rename (error "No rename quick fix among %d code actions" (length actions)))
      (setq mlintern-received 0 mlintern-diagnostics nil)
      ;; What eglot's menu does with the chosen action: apply its edit, or execute its command.
      (eglot--read-execute-code-action (list rename) server "quickfix"))
    (mlintern-step "applied")
    (save-buffer)
    (mlintern-step "saved")
    (mlintern-wait (lambda () (and (> mlintern-received 0)
                                   (not (cl-find "MLI501" mlintern-diagnostics :key (lambda (d) (alist-get 'code d)) :test #'equal))))
                   60 "the diagnostics of the fixed text")
    (mlintern-set 'after (vconcat mlintern-diagnostics))
    ;; shutdown, then exit, as eglot-shutdown sends them; eglot-shutdown itself deletes the process
    ;; right after `exit', so here the server is given the time to end on its own.
    (let ((process (jsonrpc--process server)))
      (setf (eglot--shutdown-requested server) t)
      (let ((answer (jsonrpc-request server :shutdown nil :timeout 30)))
        (mlintern-set 'shutdown (list (cons 'answered t) (cons 'result answer))))
      (jsonrpc-notify server :exit nil)
      (mlintern-wait (lambda () (not (process-live-p process))) 30 "the server to exit")
      (mlintern-set 'server_exit (list (cons 'code (process-exit-status process)) (cons 'status (symbol-name (process-status process))))))
    (mlintern-step "stopped")))

(condition-case err
    (progn (mlintern-run) (kill-emacs 0))
  (error
   (mlintern-set 'error (error-message-string err))
   (kill-emacs 1)))
