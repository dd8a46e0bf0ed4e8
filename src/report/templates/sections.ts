/** The seven sections of ../../../docs/outputs.md#reportmd, one partial each. They loop and print, nothing else. */

const FENCE = '```';

export const HEADLINE = `## 1. Headline

{{> table headline}}

{{cfrDefinition}}
`;

export const INSIGHTS = `## 2. Insights

{{#if insights.length}}
{{#each insights}}
- {{md this}}
{{/each}}
{{else}}
No insight this month: there is not enough data to compare.
{{/if}}
`;

/**
 * One chart per unit. The front matter colours the series: GitLab's neutral theme draws the
 * first series pale grey, which makes a lone line almost invisible.
 */
export const TRENDS = `## 3. Trends
{{#each charts}}

${FENCE}mermaid
---
config:
  themeVariables:
    xyChart:
      plotColorPalette: "#1f75cb"
---
xychart-beta
    title "{{title}}"
    x-axis [{{xLabels}}]
    y-axis "{{yLabel}}" 0 --> {{yMax}}
    {{kind}} [{{values}}]
${FENCE}
{{#if note}}

{{note}}
{{/if}}
{{/each}}
`;

export const TEAMS = `## 4. Teams

{{#if teams}}
{{> table teams}}

{{teamsLegend}}
{{else}}
No team was found (see Data quality).
{{/if}}

### Teams needing attention

{{#if attention.length}}
{{#each attention}}
- **{{md team}}**: {{reasons}}
{{/each}}
{{else}}
No team has a DORA level of low or a large month-over-month decline.
{{/if}}
`;

export const RELIABILITY = `## 5. CI/CD reliability and cost

{{> table reliability}}
{{#if teamReliability}}

{{> table teamReliability}}
{{/if}}

### Top 10 costly pipelines ({{pareto.month}})

{{#if topPipelines}}
{{> table topPipelines}}
{{else}}
{{#if shortened}}
Left out to fit the page: see top_pipelines.csv.
{{else}}
No pipeline ran in {{pareto.month}}.
{{/if}}
{{/if}}

### Cost Pareto and correlations

{{#if pareto.projectCount}}
- The top {{percent pareto.topShare 0}} of projects ({{number pareto.topProjects}} of {{number pareto.projectCount}}) used {{percent pareto.minutesShare 1}} of CI minutes in {{pareto.month}}.
{{else}}
- No project used CI minutes in {{pareto.month}}.
{{/if}}
{{#each correlations}}
- {{this}}
{{/each}}
`;

export const DELIVERY = `## 6. Delivery predictability (PMO)

{{#if delivery}}
{{> table delivery}}
{{#if deliveryNote}}

{{deliveryNote}}
{{/if}}

Spillover = open issues whose milestone was due in the month. Hotfix ratio = hotfix deployments / production deployments.
{{else}}
No team was found (see Data quality).
{{/if}}
`;

export const QUALITY = `## 13. Data quality

**{{quality.completeness}}**

{{#if quality.skipped}}
Projects skipped:

{{> table quality.skipped}}
{{#if quality.skippedMore}}

…and {{number quality.skippedMore}} more (listed in report.json).
{{/if}}

{{/if}}
{{#each quality.counts}}
- {{label}}: {{number value}}
{{/each}}
{{#if quality.projectsWithoutTeam.length}}

Projects without a team: {{#each quality.projectsWithoutTeam}}{{#if @index}}, {{/if}}{{md this}}{{/each}}{{#if quality.projectsWithoutTeamMore}} …and {{number quality.projectsWithoutTeamMore}} more (listed in report.json){{/if}}.
{{/if}}

{{#each quality.collection}}
Collection: {{md this}}
{{/each}}
API: {{number quality.requestTotal}} requests made; retries survived by cause: {{md quality.retries}}.
{{#if quality.requests}}

{{> table quality.requests}}
{{/if}}

Window: {{quality.window}}.

Definitions used:

{{#each quality.definitions}}
- {{label}}: {{md value}}
{{/each}}

DORA performance levels, from the {{quality.levelsYear}} DORA report (Accelerate State of DevOps {{quality.levelsYear}}), gaps between its buckets closed as Apache DevLake does:

{{> table quality.levels}}
`;
