// What start() checks before any batch runs (Spark's UnsupportedOperationChecker, for the part of
// Structured Streaming Quiver has): the streaming sources of the plan, its one stateful aggregation,
// and the operations a stream cannot support in the chosen output mode.
import { GroupReduceNode } from '../dataframe/grouped.js';
import { JoinNode } from '../dataframe/join.js';
import { childNodes, isStreamingPlan, LimitNode, SampleNode, withNewChildren as withNewChildrenOf, type LogicalNode } from '../dataframe/logical.js';
import { SortNode } from '../dataframe/sort.js';
import { WindowNode } from '../dataframe/window-plan.js';
import { AnalysisException } from './errors.js';
import { StreamingRelationNode } from './source.js';

export type OutputMode = 'append' | 'complete' | 'update';

/** Aggregates whose partial results merge across batches (see aggregation-state.ts). */
export const STATEFUL_AGGREGATES = ['count', 'sum', 'avg', 'mean', 'min', 'max', 'first', 'last'] as const;

export interface StreamingPlan {
  /** The distinct source leaves, in plan order (their index names them in the offsets log). */
  sources: StreamingRelationNode[];
  /** The streaming aggregation, if any. */
  aggregation: GroupReduceNode | null;
}

const fail = (message: string): never => { throw new AnalysisException(message); };

export function analyzeStreamingPlan(root: LogicalNode, mode: OutputMode): StreamingPlan {
  const sources: StreamingRelationNode[] = [];
  const aggregations: GroupReduceNode[] = [];
  const seen = new Set<LogicalNode>();

  /** Walks the streaming part of the plan; returns whether a streaming aggregation is at or below `node`. */
  const walk = (node: LogicalNode): boolean => {
    if (node instanceof StreamingRelationNode) { if (!sources.includes(node)) sources.push(node); return false; }
    const children = childNodes(node).filter(isStreamingPlan);
    if (node instanceof JoinNode) checkJoin(node);
    let aggregated = false;
    for (const c of children) if (!seen.has(c)) { seen.add(c); aggregated = walk(c) || aggregated; }
    if (node instanceof GroupReduceNode) {
      if (aggregated || aggregations.length) fail('Multiple streaming aggregations are not supported with streaming DataFrames/Datasets');
      const bad = node.aggs.find((a) => !(STATEFUL_AGGREGATES as readonly string[]).includes(a.fn));
      if (bad) fail(`${bad.fn}() is not supported in a streaming aggregation (Quiver keeps ${STATEFUL_AGGREGATES.join(', ')} across batches)`);
      aggregations.push(node);
      return true;
    }
    if (node instanceof SortNode && !(aggregated && mode === 'complete')) {
      fail('Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated DataFrame/Dataset in Complete output mode');
    }
    if (node instanceof LimitNode && mode !== 'complete') {
      fail(`Limits are not supported on streaming DataFrames/Datasets in ${mode === 'update' ? 'Update' : 'Append'} output mode`);
    }
    if (node instanceof SampleNode) fail('Sampling is not supported on streaming DataFrames/Datasets');
    if (node instanceof WindowNode) fail('Non-time-based windows are not supported on streaming DataFrames/Datasets');
    return aggregated;
  };
  walk(root);
  const aggregation = aggregations[0] ?? null;
  if (aggregation && mode === 'append') {
    fail('Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark');
  }
  if (!aggregation && mode === 'complete') {
    fail('Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets');
  }
  return { sources, aggregation };
}

/** Stream-static joins as Spark allows them; stream-stream joins are not built. */
function checkJoin(node: JoinNode): void {
  const left = isStreamingPlan(node.left), right = isStreamingPlan(node.right);
  const how = node.spec.how;
  if (left && right) fail('Join between two streaming DataFrames/Datasets is not supported (Quiver has no stream-stream joins yet); join a streaming DataFrame with a static one');
  if (how === 'full') fail('Full outer joins with streaming DataFrames/Datasets are not supported');
  if (how === 'left' && right) fail('Left outer join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported');
  if (how === 'right' && left) fail('Right outer join with a streaming DataFrame/Dataset on the left and a static DataFrame/Dataset on the right is not supported');
  if ((how === 'left_semi' || how === 'left_anti') && right) {
    fail(`${how === 'left_semi' ? 'LeftSemi' : 'LeftAnti'} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported`);
  }
}

/**
 * The plan with `replace`d nodes swapped in: every node above one is copied (afresh, see
 * withNewChildren); the static parts are shared, so a static side of a join keeps its cache.
 */
export function replaceInPlan(root: LogicalNode, replace: ReadonlyMap<LogicalNode, LogicalNode>): LogicalNode {
  const memo = new Map<LogicalNode, LogicalNode>();
  const go = (node: LogicalNode): LogicalNode => {
    const r = replace.get(node);
    if (r) return r;
    if (!isStreamingPlan(node)) return node;
    let copy = memo.get(node);
    if (!copy) { copy = withNewChildrenOf(node, go); memo.set(node, copy); }
    return copy;
  };
  return go(root);
}
