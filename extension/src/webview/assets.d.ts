// The webviews' style sheets and page scripts are text to the extension: esbuild's text loader
// (extension/esbuild.mjs) bundles each file as a string, which webviewPage() inlines with a nonce.
declare module '*.css' {
  const text: string;
  export default text;
}

declare module '*.page.js' {
  const text: string;
  export default text;
}
