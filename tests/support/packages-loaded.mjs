// Preloaded with `node --import` by tests/integration/cli-start-light.test.ts: on exit, writes to stderr the
// npm packages the process loaded, one line `packages-loaded: a b c`.
import { registerHooks } from 'node:module';
import process from 'node:process';

const loaded = new Set();
registerHooks({
  load(url, context, next) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match) loaded.add(match[1]);
    return next(url, context);
  },
});
process.on('exit', () => process.stderr.write(`packages-loaded: ${[...loaded].sort().join(' ')}\n`));
