import { describe, expect, it } from 'vitest';
import { eventPayloadSchemas } from '../../machines/project.schemas.ts';
import { budgetLinesOf } from '../../web/src/lib/budget-lines.ts';
import { eventFieldsFor, formFieldOf, payloadOf } from '../../web/src/lib/event-forms.ts';

const project = (item: number, step: number) => ({ context: { proposal: { item }, approval: { chain: ['center', 'finance', 'leadership'], step } } });

describe('the approval form of item 13 (web/src/lib/event-forms.ts)', () => {
  it('asks for the 会议纪要 only at the last step of an item 13 project', () => {
    const names = (item: number, step: number) => eventFieldsFor('APPROVE', project(item, step)).map((field) => field.name);
    expect(names(13, 2)).toEqual(['decisionBody', 'decisionNumber', 'decisionDate', 'comment']);
    expect(names(13, 1)).toEqual(['comment']);
    expect(names(5, 2)).toEqual(['comment']);
  });

  it('turns the fields into decisionReference, which the server schema accepts; a missing date lands on its field', () => {
    const payload = payloadOf('APPROVE', { decisionBody: 'leadership-group', decisionNumber: ' 阳创领纪〔2025〕2号 ', decisionDate: '2025-01-10', comment: '' }, 'proposed.review');
    expect(payload).toEqual({ comment: undefined, decisionReference: { body: 'leadership-group', number: '阳创领纪〔2025〕2号', date: '2025-01-10' } });
    expect(eventPayloadSchemas.APPROVE.safeParse(payload).success).toBe(true);
    const missing = eventPayloadSchemas.APPROVE.safeParse(payloadOf('APPROVE', { decisionBody: 'county-government', decisionNumber: '1号' }, 'proposed.review'));
    expect(missing.success).toBe(false);
    const path = missing.error!.issues[0]!.path.filter((part): part is string | number => typeof part !== 'symbol');
    expect(formFieldOf('APPROVE', path)).toEqual(['decisionDate']);
    expect(payloadOf('APPROVE', { comment: ' 同意 ' }, 'proposed.review')).toEqual({ comment: '同意' });
  });
});

describe('budget rows of the proposal page (web/src/lib/budget-lines.ts)', () => {
  it('amounts in 元 become fen; training figures are kept only on training rows', () => {
    expect(
      budgetLinesOf([
        { category: 'training', description: ' 培训费 ', amount: '1,200.50', persons: 10, days: 0.5, sessions: 1 },
        { category: 'study-trip', description: '考察', amount: '300', persons: 4, days: 2 },
        { category: 'training', description: '坏金额', amount: 'abc' },
      ]),
    ).toEqual([
      { category: 'training', description: '培训费', amountFen: 120_050, persons: 10, days: 0.5, sessions: 1 },
      { category: 'study-trip', description: '考察', amountFen: 30_000 },
      { category: 'training', description: '坏金额' },
    ]);
  });
});
