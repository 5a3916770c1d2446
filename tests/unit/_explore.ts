import { createActor, initialTransition, transition } from 'xstate';
import { createProjectMachine } from '../../machines/project.machine.ts';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { restoreProjectSnapshot } from '../../machines/project.restore.ts';
const m = createProjectMachine(DEFAULT_LIFECYCLE_RULES);
const actor = { userId: 'u1', role: 'applicant', orgId: 'o1' } as const;
const proposal = { title: 't', item: 5, requestedFen: 100000, periodStart: '2024-10-01', periodEnd: '2025-09-30', targets: [{ id: 'I1', level: '产出', subLevel: '数量', name: 'n', unit: '场', comparator: '>=', targetValue: 10, weight: 100 }] } as any;
let [s] = initialTransition(m, { projectId: 'p', code: 'YC', orgId: 'o1', createdBy: 'u1', createdAt: '2024-10-01T00:00:00Z', proposal });
const at = '2024-10-02T00:00:00Z';
const [s1, a1] = transition(m, s, { type: 'APPROVE', at, actor } as any);
console.log('unaccepted same?', s1 === s, a1.length);
let [w] = transition(m, s, { type: 'WITHDRAW', at, actor } as any);
console.log(w.status, w.value);
const [w2, a2] = transition(m, w, { type: 'SUBMIT', at, actor } as any);
console.log('final same?', w2 === w, a2.length);
console.log(m.getTransitionData(s, { type: 'SUBMIT', at, actor } as any).map(t => [t.eventType, t.source.id]));
for (const v of ['toString', '__proto__', 'constructor', 'project@0', 'hasOwnProperty']) {
  try { console.log(v, JSON.stringify(restoreProjectSnapshot(m, v, m.getPersistedSnapshot(s)))); } catch (e) { console.log(v, 'THROWS', String(e)); }
}
console.log(JSON.stringify(restoreProjectSnapshot(m, 'project@1', { ...JSON.parse(JSON.stringify(m.getPersistedSnapshot(s))), value: 'nope' })));
console.log(JSON.stringify(restoreProjectSnapshot(m, 'project@1', { ...JSON.parse(JSON.stringify(m.getPersistedSnapshot(s))), value: { proposed: 'nope' } })));
console.log(JSON.stringify(restoreProjectSnapshot(m, 'project@1', { ...JSON.parse(JSON.stringify(m.getPersistedSnapshot(s))), value: 'proposed' })).slice(0,200));
console.log(JSON.stringify(restoreProjectSnapshot(m, 'project@1', { ...JSON.parse(JSON.stringify(m.getPersistedSnapshot(s))), value: 'evaluated' })).slice(0,200));
console.log(JSON.stringify(restoreProjectSnapshot(m, 'project@1', { ...JSON.parse(JSON.stringify(m.getPersistedSnapshot(s))), status: 'weird' })).slice(0,200));
console.log(Object.keys(m.getPersistedSnapshot(s)));
const r = restoreProjectSnapshot(m, 'project@1', { ...JSON.parse(JSON.stringify(m.getPersistedSnapshot(s))), value: 'evaluated' });
if (r.ok) console.log('evaluated ->', JSON.stringify(r.snapshot.value));
const r2 = restoreProjectSnapshot(m, 'project@1', { ...JSON.parse(JSON.stringify(m.getPersistedSnapshot(s))), value: { proposed: 'draft' }, context: null });
console.log('ctx null', JSON.stringify(r2).slice(0, 200));
const r3 = restoreProjectSnapshot(m, 'project@1', null);
console.log(JSON.stringify(r3));
