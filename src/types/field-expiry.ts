/**
 * Per-field expiry times of one hash (Redis 7.4's hash field expiration, HFE): an indexed binary
 * min-heap of (field, absolute Unix ms), so a field's time is set, changed or removed in
 * O(log n), looked up in O(1), and the earliest one is known in O(1) (what the active expiry
 * cycle and lazy reclaiming need). Redis keeps the same information in its "ebuckets" (a rax of
 * buckets); a heap gives the same complexities with far less code. Written by hand: no npm heap
 * supports removing or re-keying an arbitrary member in O(log n) by name.
 */
export class FieldExpiry {
  private fields: string[] = [];
  private whens: number[] = [];
  /** Field → its index in the heap arrays. */
  private pos = new Map<string, number>();

  /** Number of fields that have an expiry time. */
  get size(): number {
    return this.fields.length;
  }

  /** A field's absolute expiry (Unix ms), or undefined when it has none. */
  get(field: string): number | undefined {
    const i = this.pos.get(field);
    return i === undefined ? undefined : this.whens[i];
  }

  /** The earliest expiry time, or Infinity when no field has one. */
  minWhen(): number {
    return this.whens.length === 0 ? Infinity : this.whens[0]!;
  }

  /** The field with the earliest expiry time (the heap must not be empty). */
  minField(): string {
    return this.fields[0]!;
  }

  /** Sets or changes a field's expiry time. */
  set(field: string, when: number): void {
    const i = this.pos.get(field);
    if (i === undefined) {
      const n = this.fields.length;
      this.fields.push(field);
      this.whens.push(when);
      this.pos.set(field, n);
      this.up(n);
      return;
    }
    const old = this.whens[i]!;
    this.whens[i] = when;
    if (when < old) this.up(i);
    else this.down(i);
  }

  /** Removes a field's expiry time; returns false if it had none. */
  delete(field: string): boolean {
    const i = this.pos.get(field);
    if (i === undefined) return false;
    this.pos.delete(field);
    const last = this.fields.length - 1;
    const lastField = this.fields.pop()!;
    const lastWhen = this.whens.pop()!;
    if (i !== last) {
      this.fields[i] = lastField;
      this.whens[i] = lastWhen;
      this.pos.set(lastField, i);
      this.up(i);
      this.down(this.pos.get(lastField)!);
    }
    return true;
  }

  /** A deep copy (COPY of a hash). */
  clone(): FieldExpiry {
    const copy = new FieldExpiry();
    copy.fields = this.fields.slice();
    copy.whens = this.whens.slice();
    copy.pos = new Map(this.pos);
    return copy;
  }

  private swap(a: number, b: number): void {
    const fa = this.fields[a]!;
    const fb = this.fields[b]!;
    this.fields[a] = fb;
    this.fields[b] = fa;
    const wa = this.whens[a]!;
    this.whens[a] = this.whens[b]!;
    this.whens[b] = wa;
    this.pos.set(fb, a);
    this.pos.set(fa, b);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.whens[parent]! <= this.whens[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.whens.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const child = r < n && this.whens[r]! < this.whens[l]! ? r : l;
      if (this.whens[i]! <= this.whens[child]!) return;
      this.swap(i, child);
      i = child;
    }
  }
}
