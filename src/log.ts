/**
 * Progress and warnings go to stderr. Every line passes through redaction so a secret
 * (the token) can never be printed, even inside an error message from a library.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

const secrets = new Set<string>();

/** Registers a value that must never appear in any log line or message. */
export function registerSecret(value: string): void {
  if (value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[REDACTED]');
  return out;
}

export function createLogger(opts: { quiet?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  return {
    info: (m) => {
      if (!opts.quiet) write(redact(m));
    },
    warn: (m) => write(redact(`warning: ${m}`)),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };
