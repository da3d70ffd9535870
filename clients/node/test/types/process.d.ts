// The one Node.js global usage.ts needs, so the check needs no @types/node.
declare const process: { env: Record<string, string | undefined> }
