/** The page: title, warnings, then the section partials in the order of ../../../docs/outputs.md#reportmd. */
export const REPORT = `# DORA report: {{md group}}, {{month}}

{{subtitle}}

{{#if incomplete}}
> ⚠️ **Incomplete data.** {{incomplete}}

{{/if}}
{{#if shortened}}
> ℹ️ {{shortened}}

{{/if}}
[[_TOC_]]

{{> headline}}

{{> insights}}

{{> trends}}

{{> teams}}

{{> reliability}}

{{> delivery}}

{{> stages}}

{{> qualityRisk}}

{{> bottlenecks}}

{{> actions}}

{{> targets}}

{{> forecast}}

{{> quality}}`;
