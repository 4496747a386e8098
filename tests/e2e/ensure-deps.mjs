// Installs the browser tests' npm packages (package-lock.json) into tests/e2e/node_modules with
// `npm ci`, unless they are already there for this very lock file. CTest runs it as the setup
// fixture of e2e_browser, so `make test` on a fresh machine installs them once.
// Usage: node ensure-deps.mjs
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lock = readFileSync(join(here, 'package-lock.json'));
const digest = createHash('sha256').update(lock).digest('hex');
// Written after a successful `npm ci`; a different lock file (or none) means node_modules is stale.
const stamp = join(here, 'node_modules', '.assetpub-lock-sha256');

if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === digest) {
  console.log('e2e: node_modules is up to date with package-lock.json');
  process.exit(0);
}

console.log('e2e: npm ci (node_modules missing or older than package-lock.json)');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
try {
  // No package here has an install script; --ignore-scripts keeps it that way.
  execFileSync(
    npm,
    ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'],
    { cwd: here, stdio: 'inherit' },
  );
} catch (error) {
  console.error(`e2e: npm ci failed: ${error.message}`);
  process.exit(1);
}
writeFileSync(stamp, `${digest}\n`);
console.log('e2e: npm ci done');
