/* global process */
// Preload for benchmark children: exit when the bench process dies, even by SIGKILL (the IPC
// channel to it closes). A file rather than a data: URL so it loads through --require, which
// keeps the child's entry on the CommonJS path (see source-node-args.ts).
if (process.send) process.on('disconnect', () => process.exit(1));
