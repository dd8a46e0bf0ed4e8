/** Which environments count as production (../../docs/definitions.md#production): a configuration rule, shared by the collector and the metrics. */

import type { Config } from './types';

export function isProductionEnvironment(
  env: { name: string; tier: string | null },
  config: Pick<Config, 'environmentTier' | 'environment'>,
): boolean {
  if (config.environment !== null) {
    // `environment` replaces the tier rule entirely when set.
    return new RegExp(config.environment.pattern, withoutStatefulFlags(config.environment.flags)).test(env.name);
  }
  return env.tier === config.environmentTier;
}

/** `g` and `y` make RegExp.test stateful (lastIndex); a yes/no match never needs them. */
export function withoutStatefulFlags(flags: string): string {
  return flags.replace(/[gy]/g, '');
}
