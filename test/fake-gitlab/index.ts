export type {
  FakeData, Person, RunnerRec, GroupRec, ProjectRec, EnvRec, CommitRec, PipelineRec, JobRec, MrRec, DeployRec,
  MilestoneRec, IssueRec, ProjectActivity,
} from './model';
export { generatePortfolio, type PortfolioOptions } from './portfolio';
export {
  buildScenario, type ScenarioSpec, type ScenarioProject, type ScenarioPipeline, type ScenarioJob,
  type ScenarioDeployment, type ScenarioMr, type ScenarioCommit, type ScenarioIssue, type ScenarioRunner,
} from './scenario';
export { createFakeGitLab, type Knobs, type FakeState, type FailureRule, type WikiPage } from './handlers';
export { startFakeGitLabHttp } from './http';
export { minimumRequests, personStrings } from './minimum';
export { withPayloads, type PayloadVariations } from './payloads';
