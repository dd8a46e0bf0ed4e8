import type { CollectionPath, CollectionPathKind } from '../model/types';
/** Everything the report says about the run that is not a metric (../../docs/outputs.md#reportmd, Data quality). */
interface ReportDefinitions {
  /** How production was recognised, e.g. 'tier = production' or 'name matches /prod/'. */
  environmentRule: string;
  changeFailure: 'deployments' | 'incidents';
  incidentLabels: string[];
  hotfixPattern: string;
  costPerMinute: number;
  runnerRates: string;
  currency: string;
  timezone: string;
  teamSource: string;
  months: number;
}

export interface ReportContext {
  group: string;
  toolVersion: string;
  /** GitLab's version as the preflight read it (GET /version); absent for snapshot runs. */
  gitlabVersion?: string | null;
  /** ISO instant; appears ONLY in report.json run metadata so every other file is reproducible. */
  generatedAt: string;
  /** UTC ISO instants bounding the trend window. */
  windowStart: string;
  windowEnd: string;
  definitions: ReportDefinitions;
  skippedProjects: Array<{ projectId: number; path: string; reason: string }>;
  /** Retries survived, by cause (e.g. '429', '502', 'network'). */
  retries: Record<string, number>;
  /** Requests made, by endpoint. */
  requests: Record<string, number>;
  shards: number;
  /** How each data kind was read, in bulk or per item (CollectionMeta.collectionPaths); absent for older snapshots. */
  collectionPaths?: Partial<Record<CollectionPathKind, CollectionPath>>;
  /** False when some data is missing (skipped projects, failed listings). */
  complete: boolean;
  /** Where a reader finds the definitions (the month's wiki page); the deck's footer links it. */
  definitionsUrl?: string | null;
}
