import { describe, expect, it } from 'vitest';
import { parseRunnerRates, readRunnerRates } from '../../src/config/runner-rates';

describe('runner_rates', () => {
  it('parses the documented example in order', () => {
    expect(parseRunnerRates('instance_type=0.008,project_type=0.002,tag:saas-linux-large-amd64=0.024')).toEqual([
      { kind: 'runner_type', runnerType: 'instance_type', rate: 0.008 },
      { kind: 'runner_type', runnerType: 'project_type', rate: 0.002 },
      { kind: 'tag', tag: 'saas-linux-large-amd64', rate: 0.024 },
    ]);
  });

  it('tolerates whitespace and a trailing comma; empty text is no rates', () => {
    expect(parseRunnerRates(' group_type = 0.5 , tag: gpu =1e-2 ,')).toEqual([
      { kind: 'runner_type', runnerType: 'group_type', rate: 0.5 },
      { kind: 'tag', tag: 'gpu', rate: 0.01 },
    ]);
    expect(parseRunnerRates('')).toEqual([]);
    expect(parseRunnerRates('   ')).toEqual([]);
  });

  it('accepts a zero rate (free self-hosted runners)', () => {
    expect(parseRunnerRates('project_type=0')).toEqual([{ kind: 'runner_type', runnerType: 'project_type', rate: 0 }]);
  });

  it('collects every bad entry, each with its reason', () => {
    const { rates, issues } = readRunnerRates('instance_type:0.1,docker=1,tag:=1,group_type=-0.5,project_type=cheap,tag:x=Infinity,instance_type=0.01');
    expect(rates).toEqual([{ kind: 'runner_type', runnerType: 'instance_type', rate: 0.01 }]);
    expect(issues).toEqual([
      { entry: 'instance_type:0.1', reason: 'expected <key>=<rate>' },
      { entry: 'docker=1', reason: '"docker" is neither a runner type (instance_type, group_type, project_type) nor tag:<tag>' },
      { entry: 'tag:=1', reason: 'the tag name is empty' },
      { entry: 'group_type=-0.5', reason: 'the rate -0.5 is negative' },
      { entry: 'project_type=cheap', reason: 'the rate "cheap" is not a number' },
      { entry: 'tag:x=Infinity', reason: 'the rate "Infinity" is not a number' },
    ]);
    expect(() => parseRunnerRates('docker=1,group_type=-1')).toThrow(/"docker=1".*"group_type=-1"/);
  });
});
