/**
 * Serves the component test scenario over HTTP on 127.0.0.1 for the self-test jobs of
 * .gitlab-ci.yml, which run the included component on a real runner against it:
 *
 *   node --import tsx test/component/serve-fake-gitlab.ts URL_FILE &
 *
 * writes the base URL to URL_FILE once listening, and stops by itself after 15 minutes
 * so a runner never keeps it alive.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { startFakeGitLabHttp } from '../fake-gitlab/http';
import { TOKEN, scenario } from './scenario';

const urlFile = process.argv[2];
if (!urlFile) {
  console.error('usage: serve-fake-gitlab.ts URL_FILE');
  process.exit(2);
}
const fake = await startFakeGitLabHttp(scenario, { token: TOKEN });
// Written whole, so a waiting job never reads half a URL.
writeFileSync(`${urlFile}.tmp`, fake.url);
renameSync(`${urlFile}.tmp`, urlFile);
console.error(`fake GitLab on ${fake.url} (token ${TOKEN}), stopping in 15 minutes`);
setTimeout(() => void fake.close(), 15 * 60_000);
