import type { ProjectMachine } from '../../machines/project.machine.ts';

/**
 * The lifecycle machine as a mermaid `stateDiagram-v2`, generated from the machine definition
 * itself (never drawn by hand): states and nested states in definition order, each transition
 * labelled with its event type and, when guarded, the guard's name in brackets. A transition
 * without a target (it changes only context) is drawn as a loop on its state.
 */

/** The parts of an XState StateNode that the diagram reads. */
interface DiagramNode {
  key: string;
  id: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  states: Record<string, DiagramNode>;
  initial?: { target: readonly DiagramNode[] } | undefined;
  transitions: Map<string, readonly DiagramTransition[]>;
}

interface DiagramTransition {
  eventType: string;
  target?: readonly DiagramNode[] | undefined;
  guard?: unknown;
  reenter?: boolean;
}

const ROOT_PREFIX = /^[^.]+\./;

/** A mermaid-safe id: the state's path without the machine id, every non-word character as `_`. */
function idOf(node: DiagramNode): string {
  return node.id.replace(ROOT_PREFIX, '').replace(/[^A-Za-z0-9_]/g, '_');
}

function guardName(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'inline guard';
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'guard';
}

function labelOf(transition: DiagramTransition): string {
  const guard = guardName(transition.guard);
  return guard ? `${transition.eventType} [${guard}]` : transition.eventType;
}

function declareStates(node: DiagramNode, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  for (const child of Object.values(node.states)) {
    const id = idOf(child);
    if (id !== child.key) lines.push(`${indent}state "${child.key}" as ${id}`);
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${id} {`);
      const initial = child.initial?.target[0];
      if (initial) lines.push(`${indent}  [*] --> ${idOf(initial)}`);
      declareStates(child, depth + 1, lines);
      lines.push(`${indent}}`);
    }
  }
}

function collectTransitions(node: DiagramNode, lines: string[]): void {
  for (const child of Object.values(node.states)) {
    for (const candidates of child.transitions.values()) {
      for (const transition of candidates) {
        const targets = transition.target?.length ? transition.target : [child];
        for (const target of targets) lines.push(`  ${idOf(child)} --> ${idOf(target)} : ${labelOf(transition)}`);
      }
    }
    if (child.type === 'final') lines.push(`  ${idOf(child)} --> [*]`);
    collectTransitions(child, lines);
  }
}

export function renderMermaid(machine: ProjectMachine): string {
  const root = machine.root as unknown as DiagramNode;
  const lines = ['stateDiagram-v2'];
  const initial = root.initial?.target[0];
  if (initial) lines.push(`  [*] --> ${idOf(initial)}`);
  declareStates(root, 1, lines);
  collectTransitions(root, lines);
  return `${lines.join('\n')}\n`;
}
