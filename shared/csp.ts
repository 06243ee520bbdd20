/**
 * The app window's Content-Security-Policy, for the Electron window and the
 * web host alike. Mail HTML is shown in a sandboxed srcdoc frame with a
 * stricter policy of its own; nothing here allows remote content.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' about: data:",
  "child-src 'self' about:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
