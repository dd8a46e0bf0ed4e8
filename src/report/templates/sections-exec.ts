/**
 * report.md sections of the executive pack owned by the stages work (issue 14), in the
 * deck's order: lead-time breakdown, quality and risk, top 5 bottlenecks, improvement
 * actions, next month's targets. They loop and print, nothing else (view-exec.ts decides).
 */

const FENCE = '```';

export const STAGES = `## 7. Lead-time breakdown

{{#if exec.stages.table}}
{{#if exec.stages.pie}}
${FENCE}mermaid
---
config:
  themeVariables:
    pie1: "#1f75cb"
    pie2: "#e9be74"
    pie3: "#5cb85c"
---
pie
    title {{exec.stages.pie.title}}
{{#each exec.stages.pie.slices}}
    "{{label}}" : {{value}}
{{/each}}
${FENCE}

{{/if}}
{{> table exec.stages.table}}

{{exec.stages.note}}
{{else}}
No change shipped to production in {{exec.stages.month}} by a merge request with all three dates: there is no breakdown.
{{/if}}
`;

export const QUALITY_RISK = `## 8. Quality and risk

### Production bugs (type::bug, by creation month)

{{> table exec.qualityRisk.bugs}}
{{#if exec.qualityRisk.criticalNote}}

{{exec.qualityRisk.criticalNote}}
{{/if}}

### Hotfixes and pipeline success ({{exec.qualityRisk.month}})

{{#if exec.qualityRisk.hotfix}}
{{> table exec.qualityRisk.hotfix}}

{{/if}}
- {{exec.qualityRisk.correlation}}
- {{md exec.qualityRisk.aboveThreshold}}
`;

export const BOTTLENECKS = `## 9. Top 5 bottlenecks

{{#if exec.bottlenecks.items.length}}
{{#each exec.bottlenecks.items}}
{{rank}}. **{{md scope}}**: {{md text}}
{{/each}}

{{exec.bottlenecks.intro}}
{{else}}
No bottleneck figure is available for this month.
{{/if}}
`;

export const ACTIONS = `## 10. Improvement actions

{{#if exec.actions.length}}
{{#each exec.actions}}
- **{{md team}}**: {{md text}}
{{/each}}

Each action comes from a fixed catalogue (README, Improvement actions) and cites the number that triggered it.
{{else}}
No action triggered: every team is within the catalogue's thresholds (README, Improvement actions).
{{/if}}
`;

export const TARGETS = `## 11. Next month's targets ({{exec.targets.month}})

{{#if exec.targets.table}}
{{> table exec.targets.table}}

{{exec.targets.legend}}
{{else}}
No team was found (see Data quality).
{{/if}}
`;
