/**
 * A GFM table from a TableView. Every cell goes through `md`, so a `|` or a newline in a
 * name cannot add a column or end the row; a link cell carries a pre-checked URL.
 */
export const TABLE = `{{#each headers}}| {{md this}} {{/each}}|
{{#each separators}}| {{this}} {{/each}}|
{{#each rows}}{{#each this}}| {{#if href}}[{{md text}}]({{href}}){{else}}{{md text}}{{/if}} {{/each}}|
{{/each}}`;
