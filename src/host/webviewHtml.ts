import { randomBytes } from 'node:crypto'

export interface WebviewPage {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  readonly cspSource: string
  readonly scriptUri: string
  readonly styleUri: string
  readonly nonce?: string
}

/** A fresh value per page load, so that only the page's own script tag can run. */
export function createNonce(): string {
  return randomBytes(18).toString('base64url')
}

/** The Content-Security-Policy: local script with the nonce, local styles, nothing remote. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ')
}

/**
 * The editor page: an empty shell the bundled script fills from the host's messages. The toolkit
 * (FAST) reads the nonce from the `csp-nonce` meta tag for the one style element it inserts.
 */
export function metadataEditorHtml(page: WebviewPage): string {
  const nonce = page.nonce ?? createNonce()
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(page.cspSource, nonce)}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${page.styleUri}" nonce="${nonce}">
<title>Spark Synth metadata</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="status">Loading the metadata…</p></main>
<script nonce="${nonce}" src="${page.scriptUri}"></script>
</body>
</html>`
}
