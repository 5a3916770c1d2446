import { createHash } from 'node:crypto';
import { ITEMS, PLAN_DOCUMENT_NUMBER } from '../../../config/plan.ts';
import { escapeHtml as esc } from '../../domain/escape-html.ts';
import { formatYuan } from '../../domain/money.ts';
import { formatBeijingMinute } from '../../domain/sign-in-rules.ts';
import type { DisclosedProject } from '../../usecases/disclosure/list-disclosed-projects.ts';
import { PUBLIC_STATE_EN, PUBLIC_STATE_ZH } from '../../usecases/disclosure/public-state.ts';

/**
 * The 公示 page: server-rendered HTML with no script at all, one inline style sheet allowed by its
 * hash (strict CSP), readable on a phone (rows become cards below 40rem) and printable (@media print).
 */
const STYLE = `*{box-sizing:border-box}body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;color:#1f1f1f;line-height:1.6;background:#fff}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}header{border-bottom:3px solid #b71c1c;padding-top:1rem}
.org{margin:0;color:#555}h1{font-size:1.35rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem;margin:1.4rem 0 .4rem}.basis{margin:0 0 .6rem;color:#555;font-size:.9rem}
form{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end;margin:1rem 0;padding:.8rem;background:#f5f5f5;border-radius:4px}
label{display:flex;flex-direction:column;font-size:.9rem}select,input{font-size:1rem;padding:.35rem;border:1px solid #767676;border-radius:3px;min-width:8rem;background:#fff}
button{font-size:1rem;padding:.4rem 1.4rem;background:#b71c1c;color:#fff;border:0;border-radius:3px;cursor:pointer}a{color:#0b57d0}
.summary{margin:.6rem 0}.summary strong{font-variant-numeric:tabular-nums}
table{width:100%;border-collapse:collapse;font-size:.92rem}caption{text-align:left;font-weight:600;padding:.4rem 0}
th,td{border:1px solid #d0d0d0;padding:.4rem .5rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
td.money{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.nowrap{white-space:nowrap}.empty{padding:1rem;background:#fafafa}
nav ul{list-style:none;display:flex;gap:1rem;padding:0}footer{color:#555;font-size:.85rem;margin-top:1.5rem;padding-bottom:2rem;border-top:1px solid #ddd}
@media (max-width:40rem){thead{position:absolute;left:-9999px}table,caption,tbody,tr,td{display:block;width:100%}tr{border:1px solid #d0d0d0;margin-bottom:.8rem;padding:.3rem}
td{border:0;padding:.15rem .3rem}td::before{content:attr(data-label) "：";color:#555}td.money{text-align:left}h1{font-size:1.15rem}}
@media print{form,nav,.download,.skip,.lang,#search{display:none}header,main,footer{max-width:none;padding:0}body{font-size:10pt}a{color:#000;text-decoration:none}
th{background:#eee}tr{break-inside:avoid}thead{display:table-header-group}@page{size:A4 landscape;margin:12mm}}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem}`;

/** The Content-Security-Policy of the page: nothing but this one style sheet, the same origin's form and links. */
export const PUBLIC_NOTICE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PUBLIC_NOTICE_PATH = '/gongshi';
export const PUBLIC_NOTICE_PAGE_SIZE = 50;

export interface PublicNoticeInput {
  items: DisclosedProject[];
  count: number;
  approvedFen: number;
  disbursedFen: number;
  filter: { item?: number; year?: number; q?: string };
  /** zh-CN first; `?lang=en` gives the same page in English (the CSV stays in Chinese, the official record). */
  lang: 'zh' | 'en';
  page: number;
  years: number[];
  now: Date;
  publicUrl: string;
}

/** The query string of the same selection, another page. */
function queryOf(filter: PublicNoticeInput['filter'], page?: number, lang: PublicNoticeInput['lang'] = 'zh'): string {
  const params = new URLSearchParams();
  if (lang === 'en') params.set('lang', 'en');
  if (filter.item !== undefined) params.set('item', String(filter.item));
  if (filter.year !== undefined) params.set('year', String(filter.year));
  if (filter.q) params.set('q', filter.q);
  if (page !== undefined && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const option = (value: string, label: string, selected: boolean) => `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;
const officialQuotes = (text: string) => text.replace(/"([^"]*)"/g, '“$1”');

type Say = (zh: string, en: string) => string;

function row(project: DisclosedProject, say: Say): string {
  const cells: Array<[string, string, string?]> = [
    [say('项目编号', 'Code'), project.code, 'nowrap'],
    [say('项目名称', 'Title'), project.title],
    [say('支持事项', 'Item'), say(`第${project.item.id}项 ${project.item.nameZh}`, `${project.item.id}. ${project.item.nameEn}`)],
    [say('项目单位', 'Unit'), project.applicant],
    [say('批准金额（元）', 'Approved (yuan)'), formatYuan(project.approvedFen), 'money'],
    [say('已拨付（元）', 'Disbursed (yuan)'), formatYuan(project.disbursedFen), 'money'],
    [say('状态', 'State'), say(project.stateZh, PUBLIC_STATE_EN[project.state]), 'nowrap'],
    [say('绩效评价等级', 'Grade'), project.grade ?? '—'],
  ];
  return `<tr>${cells.map(([label, value, cls]) => `<td data-label="${esc(label)}"${cls ? ` class="${cls}"` : ''}>${esc(value)}</td>`).join('')}</tr>`;
}

export function renderPublicNoticePage(input: PublicNoticeInput): string {
  const { filter, lang } = input;
  const say: Say = (zh, en) => (lang === 'en' ? en : zh);
  const first = (input.page - 1) * PUBLIC_NOTICE_PAGE_SIZE + 1;
  const last = first + input.items.length - 1;
  const pages = Math.max(1, Math.ceil(input.count / PUBLIC_NOTICE_PAGE_SIZE));
  const title = say('阳城县中小企业奖励资金项目公示', 'Yangcheng County SME reward fund: public notice of projects');
  const description = say(
    `阳城县创建中小企业高质量发展示范县绩效考核奖励资金（${PLAN_DOCUMENT_NUMBER}）支持项目公示：支持事项、项目单位、批准金额、已拨付金额、状态和绩效评价等级。`,
    `Projects paid by the Yangcheng County SME reward fund (${PLAN_DOCUMENT_NUMBER}): item, unit, amounts approved and disbursed, state and evaluation grade.`,
  );
  const selection = [
    filter.item !== undefined ? say(`第${filter.item}项`, `item ${filter.item}`) : '',
    filter.year !== undefined ? say(`${filter.year}年度`, String(filter.year)) : '',
    filter.q ? say(`含“${filter.q}”`, `containing “${filter.q}”`) : '',
  ].filter(Boolean).join(say('，', ', '));
  const states = Object.values(lang === 'en' ? PUBLIC_STATE_EN : PUBLIC_STATE_ZH).join(say('、', ', '));
  const headers = [say('项目编号', 'Code'), say('项目名称', 'Title'), say('支持事项', 'Item'), say('项目单位', 'Unit'), say('批准金额（元）', 'Approved (yuan)'), say('已拨付（元）', 'Disbursed (yuan)'), say('状态', 'State'), say('绩效评价等级', 'Grade')];
  const caption = input.count > input.items.length
    ? say(`公示项目（第 ${first}–${last} 项，共 ${input.count} 项）`, `Projects ${first}–${last} of ${input.count}`)
    : say(`公示项目（共 ${input.count} 项）`, `Projects (${input.count})`);
  const table = input.items.length
    ? `<table><caption>${caption}</caption>
<thead><tr>${headers.map((header) => `<th scope="col">${header}</th>`).join('')}</tr></thead>
<tbody>${input.items.map((project) => row(project, say)).join('')}</tbody></table>`
    : `<p class="empty">${say('没有符合条件的项目。', 'No project matches.')}</p>`;
  const link = (page: number, rel: string, text: string) => `<li><a href="${PUBLIC_NOTICE_PATH}${esc(queryOf(filter, page, lang))}" rel="${rel}">${text}</a></li>`;
  const nav = pages > 1
    ? `<nav aria-label="${say('分页', 'Pages')}"><ul>${input.page > 1 ? link(input.page - 1, 'prev', say('上一页', 'Previous')) : ''}
<li>${say(`第 ${input.page} 页，共 ${pages} 页`, `Page ${input.page} of ${pages}`)}</li>${input.page < pages ? link(input.page + 1, 'next', say('下一页', 'Next')) : ''}</ul></nav>`
    : '';
  const other = lang === 'en'
    ? `<a href="${PUBLIC_NOTICE_PATH}${esc(queryOf(filter, input.page, 'zh'))}" lang="zh-CN">中文</a>`
    : `<a href="${PUBLIC_NOTICE_PATH}${esc(queryOf(filter, input.page, 'en'))}" lang="en">English</a>`;
  return `<!doctype html><html lang="${say('zh-CN', 'en')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><meta name="description" content="${esc(description)}"><link rel="canonical" href="${esc(`${input.publicUrl}${PUBLIC_NOTICE_PATH}${lang === 'en' ? '?lang=en' : ''}`)}">
<style>${STYLE}</style></head><body><a class="skip" href="#list">${say('跳到项目列表', 'Skip to the list')}</a>
<header><p class="org">${say('阳城县中小企业发展促进中心', 'Yangcheng County SME Development Promotion Center (阳城县中小企业发展促进中心)')}<span class="lang"> · ${other}</span></p>
<h1>${say('阳城县创建中小企业高质量发展示范县绩效考核奖励资金项目公示', 'Yangcheng County SME reward fund: public notice of projects')}</h1>
<p class="basis">${say(`依据《阳城县创建中小企业高质量发展示范县绩效考核奖励资金使用方案》（${esc(PLAN_DOCUMENT_NUMBER)}）`, `Under the plan of use of the reward fund (${esc(PLAN_DOCUMENT_NUMBER)})`)}</p></header>
<main><h2 id="search">${say('查询', 'Search')}</h2>
<form method="get" action="${PUBLIC_NOTICE_PATH}" role="search" aria-labelledby="search">${lang === 'en' ? '<input type="hidden" name="lang" value="en">' : ''}
<label>${say('支持事项', 'Item')}<select name="item">${option('', say('全部事项', 'All items'), filter.item === undefined)}${ITEMS.map((item) => option(String(item.id), say(`第${item.id}项 ${officialQuotes(item.nameZh)}`, `${item.id}. ${item.nameEn}`), filter.item === item.id)).join('')}</select></label>
<label>${say('年度', 'Year')}<select name="year">${option('', say('全部年度', 'All years'), filter.year === undefined)}${input.years.map((year) => option(String(year), say(`${year}年`, String(year)), filter.year === year)).join('')}</select></label>
<label>${say('关键词', 'Words')}<input type="search" name="q" value="${esc(filter.q ?? '')}" maxlength="100" placeholder="${say('项目名称、单位或编号', 'title, unit or code')}"></label>
<button type="submit">${say('查询', 'Search')}</button><a href="${PUBLIC_NOTICE_PATH}${lang === 'en' ? '?lang=en' : ''}">${say('清除条件', 'Clear')}</a></form>
<h2 id="list">${say('项目列表', 'Projects')}${selection ? say(`（${esc(selection)}）`, ` (${esc(selection)})`) : ''}</h2>
<p class="summary">${say(
    `共 <strong>${input.count}</strong> 个项目，批准金额合计 <strong>${formatYuan(input.approvedFen)}</strong> 元，已拨付合计 <strong>${formatYuan(input.disbursedFen)}</strong> 元。`,
    `<strong>${input.count}</strong> projects, <strong>${formatYuan(input.approvedFen)}</strong> yuan approved and <strong>${formatYuan(input.disbursedFen)}</strong> yuan disbursed in all.`,
  )}
<a class="download" href="/api/v1/public/projects.csv${esc(queryOf(filter))}" download>${say('下载 CSV（全部符合条件的项目）', 'Download CSV (every matching project, in Chinese)')}</a></p>
${table}
${nav}
<h2>${say('说明', 'Notes')}</h2>
<ul>${say(
    `<li>本页公示已批准的项目；申报中、审核未通过和已撤回的申报不予公示。</li>
<li>状态分为：${esc(states)}。项目在实施期间接受的检查、整改和暂缓执行等监督事项，结论作出前统一显示为“实施中”；项目停止执行的，在县财政局确认后显示为“已停止执行”。</li>
<li>绩效评价等级在县财政局审查通过后公示。金额单位为元。</li>`,
    `<li>Approved projects are listed; proposals, refused and withdrawn proposals are not.</li>
<li>States: ${esc(states)}. Inspections, corrections and suspensions show as “Under way” until they are concluded; a stopped project shows as “Stopped” once the Finance Bureau confirms the stop.</li>
<li>The evaluation grade is shown once the Finance Bureau has accepted the evaluation. Amounts in yuan.</li>`,
  )}</ul></main>
<footer><p>${say(`数据截至 ${esc(formatBeijingMinute(input.now))}（北京时间）。本页由系统自动生成。`, `Data as of ${esc(formatBeijingMinute(input.now))} (Beijing time). This page is generated by the system.`)}</p></footer></body></html>`;
}
