import { describe, expect, it } from 'vitest';
import { Data, portfolioMonth, projectMonth, teamMonth } from './builders';

/**
 * Window Feb–Mar 2025 (UTC), report month March.
 * alpha: acme/app (deploys D1 03-05 10:00, D2 03-10 10:00) and acme/ops (central incident
 * tracker, never deploys). beta: acme/web (deploys W1 03-15). acme/solo has no team.
 */
function scenario() {
  const d = new Data();
  const app = d.project('acme/app', 'alpha');
  const ops = d.project('acme/ops', 'alpha');
  const web = d.project('acme/web', 'beta');
  const solo = d.project('solo', null);
  const appProd = d.env(app);
  d.deploy(appProd, '2025-03-05T10:00:00.000Z'); // D1
  d.deploy(appProd, '2025-03-10T10:00:00.000Z'); // D2
  d.deploy(d.env(web), '2025-03-15T10:00:00.000Z'); // W1

  // I0: created before any app deployment → unattributed; closed the month after it was opened
  d.incident(app, '2025-02-20T00:00:00.000Z', '2025-03-03T00:00:00.000Z');
  // I1 (by type) → D1; restored in 120 min
  d.incident(app, '2025-03-07T00:00:00.000Z', '2025-03-07T02:00:00.000Z');
  // I2 (by label) created exactly when D2 finished → strictly before means D1; 60 min
  d.issue(app, '2025-03-10T10:00:00.000Z', { labels: ['type::incident'], closedAt: '2025-03-10T11:00:00.000Z' });
  // I3 in the central project: no deployments at all → team alpha's latest before 03-12 = D2; still open
  d.incident(ops, '2025-03-12T00:00:00.000Z');
  // I4 with a team::gamma label (no such project team) → team gamma; attributed in its project → D2
  d.incident(app, '2025-03-20T00:00:00.000Z', null, ['team::gamma']);
  // I5 in web, before web's only deployment → unattributed (web does deploy, so no team fallback)
  d.incident(web, '2025-03-01T00:00:00.000Z');
  // I6 in a project without team and without deployments → no team, unattributed
  d.incident(solo, '2025-03-25T00:00:00.000Z');
  // not an incident
  d.issue(app, '2025-03-08T00:00:00.000Z', { closedAt: '2025-03-08T01:00:00.000Z' });
  return d;
}

describe('incidents', () => {
  const r = scenario().run({ month: '2025-03', months: 2 });

  it('counts incidents by type or label, by creation month', () => {
    expect(portfolioMonth(r, '2025-02').dora.incidents).toBe(1); // I0
    expect(portfolioMonth(r, '2025-03').dora.incidents).toBe(6); // I1..I6
  });

  it('counts open incidents at each month end', () => {
    expect(portfolioMonth(r, '2025-02').dora.open_incidents).toBe(1); // I0 closes in March
    expect(portfolioMonth(r, '2025-03').dora.open_incidents).toBe(4); // I3, I4, I5, I6
  });

  it('gives time to restore by closing month: mean and median, open ones excluded', () => {
    const m = portfolioMonth(r, '2025-03');
    // I0: 02-20 → 03-03 = 11 days = 15,840 min; I1: 120; I2: 60
    expect(m.dora.mttr_minutes).toBe(5340); // (15840 + 120 + 60) / 3
    expect(m.dora.time_to_restore_median_minutes).toBe(120);
    expect(portfolioMonth(r, '2025-02').dora.mttr_minutes).toBeNull();
  });

  it('gives cfr_incidents over successful deployments, each counted once', () => {
    // D1 (I1, I2) and D2 (I3, I4) have incidents, W1 none → 2 / 3
    expect(portfolioMonth(r).dora.cfr_incidents).toBeCloseTo(200 / 3, 10);
    expect(portfolioMonth(r).dora.change_failure_rate).toBe(0); // headline = cfr_deployments by default
    const byIncidents = scenario().run({ months: 2, changeFailure: 'incidents' });
    expect(portfolioMonth(byIncidents).dora.change_failure_rate).toBeCloseTo(200 / 3, 10);
  });

  it('counts unattributed incidents and incidents without a team in data quality', () => {
    expect(r.dataQuality.unattributedIncidents).toBe(3); // I0, I5, I6
    expect(r.dataQuality.incidentsWithoutTeam).toBe(1); // I6
  });

  it("uses the incident's team (team:: label verbatim) for team incident metrics", () => {
    expect(r.teams.map((t) => t.team)).toEqual(['alpha', 'beta', 'gamma']);
    const alpha = teamMonth(r, 'alpha');
    expect(alpha.dora.incidents).toBe(3); // I1, I2, I3 (I4 went to gamma)
    expect(alpha.dora.open_incidents).toBe(1); // I3
    expect(alpha.dora.mttr_minutes).toBe(5340); // I0, I1, I2 closed in March
    expect(alpha.dora.cfr_incidents).toBe(100); // alpha's own deployments D1, D2 both have incidents
    const gamma = teamMonth(r, 'gamma');
    expect(gamma.dora.incidents).toBe(1);
    expect(gamma.dora.open_incidents).toBe(1);
    expect(gamma.dora.cfr_incidents).toBeNull(); // gamma owns no deployments
    expect(teamMonth(r, 'beta').dora.cfr_incidents).toBe(0); // W1 has none → 0 / 1
  });

  it("uses the incident's project for project metrics", () => {
    expect(projectMonth(r, 'acme/app').dora.incidents).toBe(3); // I1, I2, I4
    expect(projectMonth(r, 'acme/ops').dora.incidents).toBe(1); // I3
    expect(projectMonth(r, 'acme/ops').dora.cfr_incidents).toBeNull(); // no deployments of its own
  });

  it('honours configured incident labels', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    d.issue(app, '2025-03-02T00:00:00.000Z', { labels: ['sev::1'] });
    d.issue(app, '2025-03-02T00:00:00.000Z', { labels: ['type::incident'] });
    // with incident_labels = sev::1 only the first is an incident (by label), type::incident no longer is
    expect(portfolioMonth(d.run({ incidentLabels: ['sev::1'] })).dora.incidents).toBe(1);
  });

  it('ignores a team:: label when an incident carries two', () => {
    const d = new Data();
    const app = d.project('acme/app', 'alpha');
    d.incident(app, '2025-03-02T00:00:00.000Z', null, ['team::x', 'team::y']);
    const res = d.run();
    expect(res.teams.map((t) => t.team)).toEqual(['alpha']);
    expect(teamMonth(res, 'alpha').dora.incidents).toBe(1);
  });
});
