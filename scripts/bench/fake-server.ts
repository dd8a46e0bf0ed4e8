/**
 * The fake GitLab for the benchmark, in its own process so that it and the CLI each get
 * a core (the fake is single-threaded and CPU-bound at ~100k requests).
 *
 *   node --import tsx scripts/bench/fake-server.ts '{"projects":200,"months":12,"knobs":{...}}'
 *
 * Started with an IPC channel: prints nothing, sends {url} once listening, and answers
 * {cmd:'state'} with the server-side counters, and {cmd:'reset'} with them before zeroing them.
 * Serves until the parent disconnects or kills it.
 */
import { generatePortfolio, startFakeGitLabHttp, type Knobs, type PortfolioOptions } from '../../test/fake-gitlab';

export interface FakeServerArgs {
  portfolio: PortfolioOptions;
  knobs: Knobs;
}

export interface FakeServerState {
  total: number;
  total429: number;
  maxInFlight: number;
  requestsByEndpoint: Record<string, number>;
}

const args = JSON.parse(process.argv[2] ?? '{}') as FakeServerArgs;
if (!process.send) {
  console.error('fake-server.ts must be started with an IPC channel (see scripts/bench.ts)');
  process.exit(2);
}
const fake = await startFakeGitLabHttp(generatePortfolio(args.portfolio), args.knobs);
process.on('message', (m: { cmd: string; id: number }) => {
  const { total, total429, maxInFlight, requestsByEndpoint } = fake.state;
  const state: FakeServerState = { total, total429, maxInFlight, requestsByEndpoint: { ...requestsByEndpoint } };
  if (m.cmd === 'reset') fake.state.reset();
  process.send?.({ id: m.id, state });
});
process.on('disconnect', () => void fake.close().finally(() => process.exit(0)));
process.send({ url: fake.url });
