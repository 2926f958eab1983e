// Caches keyed by syntax node, valid for one version of a tree, held in plain Maps per tree
// (found from the node through its parents) rather than as a WeakMap entry per node. Every
// WeakMap entry is an ephemeron that V8's marker must revisit at each major collection: caches
// of name resolution and sink matching held hundreds of thousands of them in an audit, and most
// of each collection's marking went to them. A tree's state lives as long as the tree. Like the
// caches it replaces, it starts afresh after an incremental parse (reparse.ts): nodes carried
// into the new tree keep their identity but not their ancestors or positions.
import type ts from 'typescript';
import { onTreeReuse } from './reparse';

/** `make` builds a tree's state the first time one of its nodes asks; the result finds it for a node. */
export function perTree<T>(make: () => T): (node: ts.Node) => T {
  let byRoot = new WeakMap<ts.Node, T>();
  onTreeReuse(() => { byRoot = new WeakMap(); });
  return (node) => {
    let root = node;
    while (root.parent) root = root.parent;
    let state = byRoot.get(root);
    if (state === undefined) byRoot.set(root, (state = make()));
    return state;
  };
}

/** A per-tree Map from node to value. */
export function treeMap<K extends ts.Node, V>(): (node: ts.Node) => Map<K, V> {
  return perTree(() => new Map<K, V>());
}
