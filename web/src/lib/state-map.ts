/**
 * The lifecycle drawn from the machine definition itself (as src/cli/state-diagram.ts does for the
 * README's mermaid): its states in definition order and, for the current state, the transitions
 * out of it. Nothing here is typed in by hand, so the page cannot drift from the machine.
 */
interface MachineNode {
  key: string;
  id: string;
  type: string;
  states: Record<string, MachineNode>;
  transitions: Map<string, readonly { eventType: string; target?: readonly MachineNode[] | undefined }[]>;
}

export interface StateBox {
  /** Dotted path without the machine id: "proposed.review". */
  path: string;
  key: string;
  final: boolean;
  children: StateBox[];
}

export interface Exit {
  event: string;
  /** Dotted path of the target (the source itself when the transition only changes data). */
  target: string;
}

const pathOf = (node: MachineNode) => node.id.split('.').slice(1).join('.');

function boxOf(node: MachineNode): StateBox {
  return { path: pathOf(node), key: node.key, final: node.type === 'final', children: Object.values(node.states).map(boxOf) };
}

export function stateMapOf(machine: { root: unknown }): StateBox[] {
  return Object.values((machine.root as MachineNode).states).map(boxOf);
}

/** The current state and its ancestors: "deviated-corrected.correcting" → both paths. */
export function activePaths(state: string): string[] {
  const parts = state.split('.');
  return parts.map((_, index) => parts.slice(0, index + 1).join('.'));
}

/** Transitions that leave the current state or one of its ancestors, one per event and target. */
export function exitsOf(machine: { root: unknown }, state: string): Exit[] {
  const exits: Exit[] = [];
  const seen = new Set<string>();
  let node = machine.root as MachineNode;
  const chain: MachineNode[] = [];
  for (const key of state.split('.')) {
    const child = node.states[key];
    if (!child) break;
    chain.push(child);
    node = child;
  }
  for (const source of chain.reverse()) {
    for (const candidates of source.transitions.values()) {
      for (const transition of candidates) {
        const targets = transition.target?.length ? transition.target.map(pathOf) : [pathOf(source)];
        for (const target of targets) {
          const key = `${transition.eventType}>${target}`;
          if (!seen.has(key)) {
            seen.add(key);
            exits.push({ event: transition.eventType, target });
          }
        }
      }
    }
  }
  return exits;
}
