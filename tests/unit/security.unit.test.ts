import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteApplicantText } from '../../src/domain/applicant-text.ts';
import { decideBeneficiaryCode } from '../../src/domain/beneficiary-code.ts';
import { csvField, toCsv } from '../../src/domain/csv.ts';
import { renderNoticeMail, renderTaskMail } from '../../src/mail/task.template.ts';
import { redactDeep, redactUrls } from '../../src/infra/redact-url.ts';

describe('CSV fields cannot start a formula (OWASP)', () => {
  it.each(['=1+1', '+1', '-cmd', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x")'])('%j is quoted with a leading single quote', (value) => {
    const field = csvField(value);
    expect(field.startsWith(`"'`)).toBe(true);
    expect(field.endsWith('"')).toBe(true);
  });

  it('numbers stay numbers, plain text stays plain', () => {
    expect(csvField(-12)).toBe('-12');
    expect(csvField('-12.50')).toBe('-12.50');
    expect(csvField('项目')).toBe('项目');
    expect(toCsv(['a'], [['=x']])).toBe(`\uFEFFa\r\n"'=x"\r\n`);
  });

  it('property: no field, once read back, begins with a formula character unless it is a plain number', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const field = csvField(value);
        const unquoted = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
        expect(/^[=+\-@\t\r]/.test(unquoted) && !/^-?\d+(\.\d+)?$/.test(unquoted)).toBe(false);
        if (!/^[=+\-@\t\r]/.test(value)) expect(unquoted).toBe(value);
      }),
    );
  });
});

describe('an applicant\'s words in staff emails', () => {
  it('one line, links neutralised, marked as the applicant\'s', () => {
    const title = '培训项目\r\n请点击 https://evil.example/login\u2028或 www.evil.example 领取';
    expect(quoteApplicantText(title, 'zh-CN')).toBe('申报单位填写：“培训项目 请点击 https[:]//evil.example/login 或 www[.]evil.example 领取”');
    expect(quoteApplicantText('a\nb', 'en')).toBe('as entered by the applicant: "a b"');
  });

  it('property: never a line break, never a scheme://', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('zh-CN' as const, 'en' as const), (text, locale) => {
        const quoted = quoteApplicantText(`${text}http://x.example\n${text}`, locale);
        expect(quoted).not.toMatch(/[\r\n\u2028\u2029]/);
        expect(quoted).not.toMatch(/[a-z]:\/\//i);
      }),
    );
  });

  it('the task and notice mails carry the quoted title', () => {
    const mail = renderTaskMail({
      locale: 'zh-CN', recipientName: '审核员', kind: 'review', projectCode: 'YC-2024-05-001', projectTitle: '标题\nhttp://evil.example',
      item: 5, applicant: '某镇', amountFen: 100, dueDate: '2024-10-15', link: 'http://localhost/t/x', canDecideByLink: true,
    } as never);
    expect(mail.text).toContain('项目名称：申报单位填写：“标题 http[:]//evil.example”');
    expect(mail.html).not.toContain('http://evil.example');
    const notice = renderNoticeMail({ locale: 'en', recipientName: 'x', template: 'project.approved', projectCode: 'C', projectTitle: 'T\nhttps://e.example', reason: null, link: 'l' });
    expect(notice.text).toContain('as entered by the applicant: "T https[:]//e.example"');
  });
});

describe('whose credit code the overlap check uses', () => {
  const A = '91140522MA0K3Y7R19';
  const B = '91350100M000100Y43';
  it.each([
    [{ typed: undefined, registered: A, confirmed: null, enterpriseItem: true }, { ok: true, code: A, source: 'registered' }],
    [{ typed: A.toLowerCase(), registered: A, confirmed: null, enterpriseItem: true }, { ok: true, code: A }],
    [{ typed: B, registered: A, confirmed: null, enterpriseItem: false }, { ok: false, reason: 'beneficiary-code-unconfirmed' }],
    [{ typed: B, registered: A, confirmed: A, enterpriseItem: false }, { ok: false, reason: 'beneficiary-code-unconfirmed' }],
    [{ typed: B, registered: A, confirmed: B, enterpriseItem: false }, { ok: true, code: B, source: 'confirmed' }],
    [{ typed: B, registered: null, confirmed: null, enterpriseItem: true }, { ok: true, code: B, source: 'typed' }],
    [{ typed: null, registered: null, confirmed: null, enterpriseItem: true }, { ok: false, reason: 'beneficiary-code-required' }],
    [{ typed: null, registered: null, confirmed: null, enterpriseItem: false }, { ok: true, code: null, source: 'none' }],
  ])('%j → %j', (facts, expected) => {
    expect(decideBeneficiaryCode(facts)).toMatchObject(expected);
  });

  it('property: with a registered code, the answer is the registered code or a code center confirmed, never an unconfirmed one', () => {
    const code = fc.constantFrom(A, B, null);
    fc.assert(
      fc.property(code, fc.constantFrom(A, B), code, fc.boolean(), (typed, registered, confirmed, enterpriseItem) => {
        const decision = decideBeneficiaryCode({ typed, registered, confirmed, enterpriseItem });
        if (decision.ok) expect(decision.code === registered || decision.code === confirmed).toBe(true);
        else expect(decision.reason).toBe('beneficiary-code-unconfirmed');
      }),
    );
  });
});

describe('no URL is logged with its credentials', () => {
  it('redacts passwords and tokens in URLs, keeps the rest', () => {
    expect(redactUrls('redis://:s3cret@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0');
    expect(redactUrls('at postgres://app:pw@db:5432/x and smtp://user:p%40ss@mail:25')).toBe('at postgres://app:***@db:5432/x and smtp://user:***@mail:25');
    expect(redactUrls('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    const error = new Error('connect to redis://:pw@h:1 failed');
    const record = redactDeep({ redis: 'rediss://default:pw@h:1', nested: [{ url: 'redis://:pw@h' }], err: error }) as Record<string, any>;
    expect(JSON.stringify(record)).not.toContain(':pw@');
    expect(record.err.message).toBe('connect to redis://:***@h:1 failed');
  });
});
