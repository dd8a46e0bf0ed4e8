/** Seeded randomness: the same seed and key always give the same stream (mulberry32). */
export class Rng {
  private s: number;
  constructor(...keys: number[]) {
    let h = 0x811c9dc5;
    for (const k of keys) {
      h = Math.imul(h ^ (k >>> 0), 0x01000193) >>> 0;
      h = Math.imul(h ^ Math.floor(k / 2 ** 32), 0x01000193) >>> 0;
    }
    this.s = h || 1;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.next() * xs.length)];
    if (x === undefined) throw new Error('pick from empty list');
    return x;
  }
  /** Poisson-distributed count (Knuth; fine for small means) */
  poisson(mean: number): number {
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }
  /** log-normal-ish positive value around `median` */
  around(median: number, spread = 0.5): number {
    const u = this.next() + this.next() + this.next() - 1.5; // ~N(0, 0.5)
    return median * Math.exp(u * spread * 2);
  }
  hex(len: number): string {
    let out = '';
    while (out.length < len) out += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return out.slice(0, len);
  }
}

const FIRST = [
  'Amelia', 'Jonas', 'Priya', 'Mateo', 'Chloé', 'Kenji', 'Fatima', 'Lukas', 'Sofia', 'Darius',
  'Ingrid', 'Tomás', 'Aisha', 'Henrik', 'Mei', 'Oluwaseun', 'Élodie', 'Rafael', 'Nadia', 'Stefan',
  'Hannah', 'Arjun', 'Beatriz', 'Connor', 'Yuki', 'Zoë', 'Malik', 'Greta', 'Diego', 'Leila',
  'Noah', 'Ananya', 'Pavel', 'Camille', 'Emeka', 'Freya', 'Hiroshi', 'Isabel', 'Kwame', 'Linnea',
] as const;
const LAST = [
  'Hartmann', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Castillo', 'Nakamura', 'Brennan', 'Rossi', 'Kowalski',
  'Haddad', 'Fischer', 'Andersen', 'Mensah', 'Duarte', 'Sørensen', 'Virtanen', 'Novak', 'Yilmaz', 'Gallagher',
  'Petrov', 'Schreiber', 'Alvarez', 'Bergström', 'Chaudhry', 'Delacroix', 'Eriksen', 'Ferreira', 'Gupta', 'Ivanova',
  'Jansen', 'Keller', 'Laurent', 'Mwangi', 'Nilsson', 'Oyelaran', 'Pacheco', 'Quinlan', 'Rahman', 'Takahashi',
] as const;

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

/** `count` distinct realistic fake people, deterministic for the seed. Ids start at `firstId`. */
export function makePeople(rng: Rng, count: number, firstId = 100, domain = 'acme-corp.example') {
  const seen = new Set<string>();
  const people: { id: number; username: string; name: string; email: string }[] = [];
  while (people.length < count) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    let username = `${ascii(first).slice(0, 1)}${ascii(last)}`;
    for (let n = 2; seen.has(username); n++) username = `${ascii(first).slice(0, 1)}${ascii(last)}${n}`;
    seen.add(username);
    const email = `${ascii(first)}.${username.slice(1)}@${domain}`;
    people.push({ id: firstId + people.length, username, name: `${first} ${last}`, email });
  }
  return people;
}
