// What every browser test takes from its environment (CTest sets it: tests/e2e/CMakeLists.txt):
// the `assetpub` binary, the source tree (templates, sample content) and where screenshots go.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const kLib = dirname(fileURLToPath(import.meta.url));

export const kBinary = process.env.ASSETPUB_BINARY;
export const kSourceDir = resolve(process.env.ASSETPUB_SOURCE_DIR || join(kLib, '../../..'));
export const kShots = resolve(process.env.ASSETPUB_E2E_SCREENSHOTS || 'e2e-screenshots');
