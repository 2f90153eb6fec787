/**
 * The ordered index of large sorted sets: an order-statistic B+tree of (score, member) entries,
 * ordered as Redis's skiplist orders them (score, then member bytes). It gives what Redis's
 * skiplist gives, in O(log n): insert, remove, rank of an entry, entry at a rank, the first entry
 * satisfying a monotonic predicate (score and lex range seeks), and O(1) steps to the neighbours.
 *
 * Layout, chosen for memory: leaves hold up to {@link LEAF_MAX} entries in two parallel arrays
 * (members, and scores as unboxed doubles) and are linked both ways; inner nodes hold their
 * children, each child's entry count (for ranks) and a separator per child (a lower bound of the
 * child's entries; separators may go stale after deletions but stay valid bounds). There is no
 * object per entry.
 */

/** Most entries in a leaf; a leaf that grows past it splits. */
const LEAF_MAX = 128;
/** A leaf with fewer entries borrows from or merges with a sibling. */
const LEAF_MIN = 32;
/** Most children of an inner node. */
const INNER_MAX = 64;
/** An inner node with fewer children borrows from or merges with a sibling. */
const INNER_MIN = 16;

/**
 * Redis's order of sorted-set entries: by score, then by member bytes (memcmp, shorter first on a
 * common prefix). Members are latin1 strings, so JS string comparison is byte comparison.
 */
export function compareEntries(s1: number, m1: string, s2: number, m2: string): number {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  return m1 < m2 ? -1 : m1 > m2 ? 1 : 0;
}

/**
 * A predicate over entries that is monotonic in the tree's order: false for a (possibly empty)
 * prefix of the entries, true for the rest.
 */
export type EntryPredicate = (score: number, member: string) => boolean;

/** A leaf: entries in order. */
export class ZLeaf {
  members: string[] = [];
  scores: number[] = [];
  prev: ZLeaf | null = null;
  next: ZLeaf | null = null;
}

/** An inner node. */
class ZInner {
  children: ZNode[] = [];
  /** Entries under each child. */
  counts: number[] = [];
  /** Lower bound (score part) of child i's entries, for i ≥ 1; index 0 is unused. */
  sepScores: number[] = [];
  /** Lower bound (member part) of child i's entries, for i ≥ 1; index 0 is unused. */
  sepMembers: string[] = [];
}

type ZNode = ZLeaf | ZInner;

/** A position in the tree: a leaf and an index in it (idx may equal the leaf's length at the end). */
export interface ZPosition {
  leaf: ZLeaf;
  idx: number;
}

/** Index of the first child whose separator satisfies `pred`, minus one (the child to descend into). */
function routeChild(node: ZInner, pred: EntryPredicate): number {
  let lo = 1;
  let hi = node.children.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(node.sepScores[mid]!, node.sepMembers[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** Index of the first entry of a leaf that satisfies `pred` (the leaf's length if none does). */
function leafLowerBound(leaf: ZLeaf, pred: EntryPredicate): number {
  let lo = 0;
  let hi = leaf.members.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(leaf.scores[mid]!, leaf.members[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function sumCounts(counts: number[], end: number): number {
  let total = 0;
  for (let i = 0; i < end; i++) total += counts[i]!;
  return total;
}

/** An order-statistic B+tree of sorted-set entries. Callers never insert an entry twice. */
export class ZTree {
  private root: ZNode = new ZLeaf();
  private length = 0;
  /** The first and last leaves (equal when the tree is one leaf). */
  private head: ZLeaf;
  private tail: ZLeaf;

  constructor() {
    this.head = this.tail = this.root as ZLeaf;
  }

  /** Number of entries. */
  get size(): number {
    return this.length;
  }

  /**
   * Builds a tree from entries already in order (O(n)). Leaves are filled to three quarters so
   * that the first inserts do not split them at once.
   */
  static fromSorted(members: readonly string[], scores: readonly number[]): ZTree {
    const tree = new ZTree();
    const n = members.length;
    if (n === 0) return tree;
    const per = (LEAF_MAX * 3) >> 2;
    let level: ZNode[] = [];
    let counts: number[] = [];
    let firstScores: number[] = [];
    let firstMembers: string[] = [];
    let prev: ZLeaf | null = null;
    const leafCount = Math.ceil(n / per);
    for (let k = 0; k < leafCount; k++) {
      // Spread entries evenly so no leaf is under the minimum.
      const from = Math.floor((k * n) / leafCount);
      const to = Math.floor(((k + 1) * n) / leafCount);
      const leaf = new ZLeaf();
      leaf.members = members.slice(from, to);
      leaf.scores = scores.slice(from, to);
      leaf.prev = prev;
      if (prev) prev.next = leaf;
      prev = leaf;
      level.push(leaf);
      counts.push(to - from);
      firstScores.push(scores[from]!);
      firstMembers.push(members[from]!);
    }
    tree.head = level[0] as ZLeaf;
    tree.tail = prev!;
    const fan = (INNER_MAX * 3) >> 2;
    while (level.length > 1) {
      const next: ZNode[] = [];
      const nextCounts: number[] = [];
      const nextScores: number[] = [];
      const nextMembers: string[] = [];
      const groups = Math.ceil(level.length / fan);
      for (let g = 0; g < groups; g++) {
        const from = Math.floor((g * level.length) / groups);
        const to = Math.floor(((g + 1) * level.length) / groups);
        const node = new ZInner();
        node.children = level.slice(from, to);
        node.counts = counts.slice(from, to);
        node.sepScores = firstScores.slice(from, to);
        node.sepMembers = firstMembers.slice(from, to);
        next.push(node);
        nextCounts.push(sumCounts(node.counts, node.counts.length));
        nextScores.push(firstScores[from]!);
        nextMembers.push(firstMembers[from]!);
      }
      level = next;
      counts = nextCounts;
      firstScores = nextScores;
      firstMembers = nextMembers;
    }
    tree.root = level[0]!;
    tree.length = n;
    return tree;
  }

  /** Inserts an entry (which must not be present). */
  insert(score: number, member: string): void {
    const pathNodes: ZInner[] = [];
    const pathIdx: number[] = [];
    let node = this.root;
    const after: EntryPredicate = (s, m) => compareEntries(s, m, score, member) > 0;
    while (node instanceof ZInner) {
      const i = routeChild(node, after);
      node.counts[i]!++;
      pathNodes.push(node);
      pathIdx.push(i);
      node = node.children[i]!;
    }
    const leaf = node;
    const at = leafLowerBound(leaf, after);
    if (at === leaf.members.length) {
      leaf.members.push(member);
      leaf.scores.push(score);
    } else {
      leaf.members.splice(at, 0, member);
      leaf.scores.splice(at, 0, score);
    }
    this.length++;
    if (leaf.members.length > LEAF_MAX) this.splitUp(leaf, pathNodes, pathIdx);
  }

  /** Splits an overfull leaf, then overfull ancestors, growing a new root if needed. */
  private splitUp(leaf: ZLeaf, pathNodes: ZInner[], pathIdx: number[]): void {
    const half = leaf.members.length >> 1;
    const right = new ZLeaf();
    right.members = leaf.members.splice(half);
    right.scores = leaf.scores.splice(half);
    right.next = leaf.next;
    right.prev = leaf;
    if (leaf.next) leaf.next.prev = right;
    else this.tail = right;
    leaf.next = right;
    let newNode: ZNode = right;
    let newCount = right.members.length;
    let oldCount = leaf.members.length;
    let sepScore = right.scores[0]!;
    let sepMember = right.members[0]!;
    for (let level = pathNodes.length - 1; level >= 0; level--) {
      const parent = pathNodes[level]!;
      const i = pathIdx[level]!;
      parent.counts[i] = oldCount;
      parent.children.splice(i + 1, 0, newNode);
      parent.counts.splice(i + 1, 0, newCount);
      parent.sepScores.splice(i + 1, 0, sepScore);
      parent.sepMembers.splice(i + 1, 0, sepMember);
      if (parent.children.length <= INNER_MAX) return;
      // Split the inner node too.
      const mid = parent.children.length >> 1;
      const sibling = new ZInner();
      sibling.children = parent.children.splice(mid);
      sibling.counts = parent.counts.splice(mid);
      sibling.sepScores = parent.sepScores.splice(mid);
      sibling.sepMembers = parent.sepMembers.splice(mid);
      sepScore = sibling.sepScores[0]!;
      sepMember = sibling.sepMembers[0]!;
      newNode = sibling;
      newCount = sumCounts(sibling.counts, sibling.counts.length);
      oldCount = sumCounts(parent.counts, parent.counts.length);
    }
    // The root split: grow the tree by one level.
    const root = new ZInner();
    root.children = [this.root, newNode];
    root.counts = [oldCount, newCount];
    root.sepScores = [0, sepScore];
    root.sepMembers = ["", sepMember];
    this.root = root;
  }

  /** Removes an entry; returns false if it is not in the tree. */
  remove(score: number, member: string): boolean {
    const pathNodes: ZInner[] = [];
    const pathIdx: number[] = [];
    const atOrAfter: EntryPredicate = (s, m) => compareEntries(s, m, score, member) >= 0;
    let node = this.root;
    while (node instanceof ZInner) {
      const i = routeChild(node, atOrAfter);
      pathNodes.push(node);
      pathIdx.push(i);
      node = node.children[i]!;
    }
    const leaf = node;
    const at = leafLowerBound(leaf, atOrAfter);
    if (at === leaf.members.length) {
      // The entry may open the next leaf, when it equals that leaf's separator.
      const next = leaf.next;
      if (next === null || next.members[0] !== member || next.scores[0] !== score) return false;
      this.removeAt(this.rankOfPosition(next, 0), 1);
      return true;
    }
    if (leaf.members[at] !== member || leaf.scores[at] !== score) return false;
    leaf.members.splice(at, 1);
    leaf.scores.splice(at, 1);
    for (let level = 0; level < pathNodes.length; level++) pathNodes[level]!.counts[pathIdx[level]!]!--;
    this.length--;
    this.fixUnderflow(pathNodes, pathIdx);
    return true;
  }

  /**
   * Removes `count` entries starting at rank `start` (0-based), calling `removed` for each, in
   * order. O(log n) per leaf touched plus O(count).
   */
  removeAt(start: number, count: number, removed?: (member: string, score: number) => void): void {
    count = Math.min(count, this.length - start);
    while (count > 0) {
      const pathNodes: ZInner[] = [];
      const pathIdx: number[] = [];
      let node = this.root;
      let rank = start;
      while (node instanceof ZInner) {
        let i = 0;
        while (rank >= node.counts[i]!) rank -= node.counts[i++]!;
        pathNodes.push(node);
        pathIdx.push(i);
        node = node.children[i]!;
      }
      const leaf = node;
      const k = Math.min(count, leaf.members.length - rank);
      const members = leaf.members.splice(rank, k);
      const scores = leaf.scores.splice(rank, k);
      if (removed) for (let j = 0; j < k; j++) removed(members[j]!, scores[j]!);
      for (let level = 0; level < pathNodes.length; level++) pathNodes[level]!.counts[pathIdx[level]!]! -= k;
      this.length -= k;
      count -= k;
      this.fixUnderflow(pathNodes, pathIdx);
    }
  }

  /** Rebalances after a removal along a path: borrow from or merge with siblings, shrink the root. */
  private fixUnderflow(pathNodes: ZInner[], pathIdx: number[]): void {
    for (let level = pathNodes.length - 1; level >= 0; level--) {
      const parent = pathNodes[level]!;
      const i = pathIdx[level]!;
      const child = parent.children[i]!;
      const isLeaf = child instanceof ZLeaf;
      const len = isLeaf ? child.members.length : child.children.length;
      if (len >= (isLeaf ? LEAF_MIN : INNER_MIN)) break;
      if (parent.children.length === 1) break;
      // Pair the child with a sibling: (left, right) adjacent in the parent.
      const l = i > 0 ? i - 1 : i;
      if (isLeaf) this.rebalanceLeaves(parent, l);
      else this.rebalanceInners(parent, l);
    }
    // Shrink the root while it is an inner node with a single child.
    while (this.root instanceof ZInner && this.root.children.length === 1) this.root = this.root.children[0]!;
  }

  /** Merges or evens out leaves l and l+1 of `parent`. */
  private rebalanceLeaves(parent: ZInner, l: number): void {
    const left = parent.children[l] as ZLeaf;
    const right = parent.children[l + 1] as ZLeaf;
    const total = left.members.length + right.members.length;
    if (total <= LEAF_MAX) {
      for (let j = 0; j < right.members.length; j++) {
        left.members.push(right.members[j]!);
        left.scores.push(right.scores[j]!);
      }
      left.next = right.next;
      if (right.next) right.next.prev = left;
      else this.tail = left;
      parent.children.splice(l + 1, 1);
      parent.counts.splice(l + 1, 1);
      parent.sepScores.splice(l + 1, 1);
      parent.sepMembers.splice(l + 1, 1);
      parent.counts[l] = total;
      return;
    }
    const leftTarget = total >> 1;
    if (left.members.length < leftTarget) {
      const k = leftTarget - left.members.length;
      const members = right.members.splice(0, k);
      const scores = right.scores.splice(0, k);
      for (let j = 0; j < k; j++) {
        left.members.push(members[j]!);
        left.scores.push(scores[j]!);
      }
    } else {
      const k = left.members.length - leftTarget;
      right.members.unshift(...left.members.splice(leftTarget, k));
      right.scores.unshift(...left.scores.splice(leftTarget, k));
    }
    parent.counts[l] = left.members.length;
    parent.counts[l + 1] = right.members.length;
    parent.sepScores[l + 1] = right.scores[0]!;
    parent.sepMembers[l + 1] = right.members[0]!;
  }

  /** Merges or evens out inner nodes l and l+1 of `parent`. */
  private rebalanceInners(parent: ZInner, l: number): void {
    const left = parent.children[l] as ZInner;
    const right = parent.children[l + 1] as ZInner;
    // In the right node, child 0's lower bound is the parent's separator for the right node.
    right.sepScores[0] = parent.sepScores[l + 1]!;
    right.sepMembers[0] = parent.sepMembers[l + 1]!;
    const total = left.children.length + right.children.length;
    if (total <= INNER_MAX) {
      left.children.push(...right.children);
      left.counts.push(...right.counts);
      left.sepScores.push(...right.sepScores);
      left.sepMembers.push(...right.sepMembers);
      parent.children.splice(l + 1, 1);
      parent.counts.splice(l + 1, 1);
      parent.sepScores.splice(l + 1, 1);
      parent.sepMembers.splice(l + 1, 1);
      parent.counts[l] = sumCounts(left.counts, left.counts.length);
      return;
    }
    const leftTarget = total >> 1;
    if (left.children.length < leftTarget) {
      const k = leftTarget - left.children.length;
      left.children.push(...right.children.splice(0, k));
      left.counts.push(...right.counts.splice(0, k));
      left.sepScores.push(...right.sepScores.splice(0, k));
      left.sepMembers.push(...right.sepMembers.splice(0, k));
    } else {
      const k = left.children.length - leftTarget;
      right.children.unshift(...left.children.splice(leftTarget, k));
      right.counts.unshift(...left.counts.splice(leftTarget, k));
      right.sepScores.unshift(...left.sepScores.splice(leftTarget, k));
      right.sepMembers.unshift(...left.sepMembers.splice(leftTarget, k));
    }
    parent.counts[l] = sumCounts(left.counts, left.counts.length);
    parent.counts[l + 1] = sumCounts(right.counts, right.counts.length);
    parent.sepScores[l + 1] = right.sepScores[0]!;
    parent.sepMembers[l + 1] = right.sepMembers[0]!;
  }

  /**
   * How many entries come before the first one satisfying `pred` (a monotonic predicate): the rank
   * of that entry, or the size when none does.
   */
  countBefore(pred: EntryPredicate): number {
    let node = this.root;
    let rank = 0;
    while (node instanceof ZInner) {
      const i = routeChild(node, pred);
      rank += sumCounts(node.counts, i);
      node = node.children[i]!;
    }
    return rank + leafLowerBound(node, pred);
  }

  /** The 0-based rank of an entry, or -1 if it is not in the tree. */
  rankOf(score: number, member: string): number {
    const atOrAfter: EntryPredicate = (s, m) => compareEntries(s, m, score, member) >= 0;
    let node = this.root;
    let rank = 0;
    while (node instanceof ZInner) {
      const i = routeChild(node, atOrAfter);
      rank += sumCounts(node.counts, i);
      node = node.children[i]!;
    }
    let leaf = node;
    let at = leafLowerBound(leaf, atOrAfter);
    rank += at;
    if (at === leaf.members.length) {
      if (leaf.next === null) return -1;
      leaf = leaf.next;
      at = 0;
    }
    return leaf.members[at] === member && leaf.scores[at] === score ? rank : -1;
  }

  /** The position of the entry at a 0-based rank (which must be < size). */
  select(rank: number): ZPosition {
    if (rank === 0) return { leaf: this.head, idx: 0 };
    if (rank === this.length - 1) return { leaf: this.tail, idx: this.tail.members.length - 1 };
    let node = this.root;
    while (node instanceof ZInner) {
      let i = 0;
      while (rank >= node.counts[i]!) rank -= node.counts[i++]!;
      node = node.children[i]!;
    }
    return { leaf: node, idx: rank };
  }

  /** The rank of a position (O(log n) through a descent by the entry at the position). */
  private rankOfPosition(leaf: ZLeaf, idx: number): number {
    return this.rankOf(leaf.scores[idx]!, leaf.members[idx]!);
  }

  /** The first leaf (for in-order walks). */
  get first(): ZLeaf {
    return this.head;
  }

  /** The last leaf (for reverse walks). */
  get last(): ZLeaf {
    return this.tail;
  }

  /**
   * Checks the structural invariants (counts, order, separators, links, fill) and throws on a
   * violation. For tests.
   */
  check(): void {
    let seen = 0;
    let prevScore = -Infinity;
    let prevMember: string | null = null;
    const visit = (node: ZNode, lowScore: number | null, lowMember: string, isRoot: boolean): number => {
      if (node instanceof ZLeaf) {
        const n = node.members.length;
        if (n !== node.scores.length) throw new Error("leaf arrays differ in length");
        if (!isRoot && (n < 1 || n > LEAF_MAX)) throw new Error(`leaf size ${n} out of bounds`);
        for (let j = 0; j < n; j++) {
          const s = node.scores[j]!;
          const m = node.members[j]!;
          if (prevMember !== null && compareEntries(prevScore, prevMember, s, m) >= 0) {
            throw new Error("entries out of order");
          }
          if (lowScore !== null && compareEntries(s, m, lowScore, lowMember) < 0) {
            throw new Error("entry below its separator");
          }
          prevScore = s;
          prevMember = m;
        }
        seen += n;
        return n;
      }
      const c = node.children.length;
      if (!isRoot && (c < 2 || c > INNER_MAX)) throw new Error(`inner size ${c} out of bounds`);
      if (isRoot && c < 2) throw new Error("inner root with one child");
      let total = 0;
      for (let i = 0; i < c; i++) {
        const lowS = i === 0 ? lowScore : node.sepScores[i]!;
        const lowM = i === 0 ? lowMember : node.sepMembers[i]!;
        const n = visit(node.children[i]!, lowS, lowM, false);
        if (n !== node.counts[i]) throw new Error(`count ${node.counts[i]} but ${n} entries`);
        total += n;
      }
      return total;
    };
    visit(this.root, null, "", true);
    if (seen !== this.length) throw new Error(`length ${this.length} but ${seen} entries`);
    let walked = 0;
    let last: ZLeaf | null = null;
    for (let leaf: ZLeaf | null = this.head; leaf !== null; leaf = leaf.next) {
      if (leaf.prev !== last) throw new Error("broken prev link");
      walked += leaf.members.length;
      last = leaf;
    }
    if (last !== this.tail) throw new Error("tail is not the last leaf");
    if (walked !== this.length) throw new Error("leaf chain misses entries");
  }
}
