import { createHash } from 'node:crypto';
import { ITEMS, PLAN_DOCUMENT_NUMBER } from '../../../config/plan.ts';
import { escapeHtml as esc } from '../../domain/escape-html.ts';
import { formatYuan } from '../../domain/money.ts';
import { formatBeijingMinute } from '../../domain/sign-in-rules.ts';
import type { DisclosedProject } from '../../usecases/disclosure/list-disclosed-projects.ts';
import { PUBLIC_STATE_ZH } from '../../usecases/disclosure/public-state.ts';

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
td.money{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.empty{padding:1rem;background:#fafafa}
nav ul{list-style:none;display:flex;gap:1rem;padding:0}footer{color:#555;font-size:.85rem;margin-top:1.5rem;padding-bottom:2rem;border-top:1px solid #ddd}
@media (max-width:40rem){thead{position:absolute;left:-9999px}table,caption,tbody,tr,td{display:block;width:100%}tr{border:1px solid #d0d0d0;margin-bottom:.8rem;padding:.3rem}
td{border:0;padding:.15rem .3rem}td::before{content:attr(data-label) "：";color:#555}td.money{text-align:left}h1{font-size:1.15rem}}
@media print{form,nav,.download,.skip,#search{display:none}header,main,footer{max-width:none;padding:0}body{font-size:10pt}a{color:#000;text-decoration:none}
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
  page: number;
  years: number[];
  now: Date;
  publicUrl: string;
}

/** The query string of the same selection, another page. */
function queryOf(filter: PublicNoticeInput['filter'], page?: number): string {
  const params = new URLSearchParams();
  if (filter.item !== undefined) params.set('item', String(filter.item));
  if (filter.year !== undefined) params.set('year', String(filter.year));
  if (filter.q) params.set('q', filter.q);
  if (page !== undefined && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const option = (value: string, label: string, selected: boolean) => `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;
const officialQuotes = (text: string) => text.replace(/"([^"]*)"/g, '“$1”');

function row(project: DisclosedProject): string {
  const cells: Array<[string, string, string?]> = [
    ['项目编号', project.code],
    ['项目名称', project.title],
    ['支持事项', `第${project.item.id}项 ${project.item.nameZh}`],
    ['项目单位', project.applicant],
    ['批准金额（元）', formatYuan(project.approvedFen), 'money'],
    ['已拨付（元）', formatYuan(project.disbursedFen), 'money'],
    ['状态', project.stateZh],
    ['绩效评价等级', project.grade ?? '—'],
  ];
  return `<tr>${cells.map(([label, value, cls]) => `<td data-label="${esc(label)}"${cls ? ` class="${cls}"` : ''}>${esc(value)}</td>`).join('')}</tr>`;
}

export function renderPublicNoticePage(input: PublicNoticeInput): string {
  const { filter } = input;
  const first = (input.page - 1) * PUBLIC_NOTICE_PAGE_SIZE + 1;
  const last = first + input.items.length - 1;
  const pages = Math.max(1, Math.ceil(input.count / PUBLIC_NOTICE_PAGE_SIZE));
  const title = '阳城县中小企业奖励资金项目公示';
  const description = `阳城县创建中小企业高质量发展示范县绩效考核奖励资金（${PLAN_DOCUMENT_NUMBER}）支持项目公示：支持事项、项目单位、批准金额、已拨付金额、状态和绩效评价等级。`;
  const selection = [
    filter.item !== undefined ? `第${filter.item}项` : '',
    filter.year !== undefined ? `${filter.year}年度` : '',
    filter.q ? `含“${filter.q}”` : '',
  ].filter(Boolean).join('，');
  const states = Object.values(PUBLIC_STATE_ZH).join('、');
  const table = input.items.length
    ? `<table><caption>公示项目${input.count > input.items.length ? `（第 ${first}–${last} 项，共 ${input.count} 项）` : `（共 ${input.count} 项）`}</caption>
<thead><tr><th scope="col">项目编号</th><th scope="col">项目名称</th><th scope="col">支持事项</th><th scope="col">项目单位</th><th scope="col">批准金额（元）</th><th scope="col">已拨付（元）</th><th scope="col">状态</th><th scope="col">绩效评价等级</th></tr></thead>
<tbody>${input.items.map(row).join('')}</tbody></table>`
    : `<p class="empty">没有符合条件的项目。</p>`;
  const nav = pages > 1
    ? `<nav aria-label="分页"><ul>${input.page > 1 ? `<li><a href="${PUBLIC_NOTICE_PATH}${esc(queryOf(filter, input.page - 1))}" rel="prev">上一页</a></li>` : ''}
<li>第 ${input.page} 页，共 ${pages} 页</li>${input.page < pages ? `<li><a href="${PUBLIC_NOTICE_PATH}${esc(queryOf(filter, input.page + 1))}" rel="next">下一页</a></li>` : ''}</ul></nav>`
    : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><meta name="description" content="${esc(description)}"><link rel="canonical" href="${esc(`${input.publicUrl}${PUBLIC_NOTICE_PATH}`)}">
<style>${STYLE}</style></head><body><a class="skip" href="#list">跳到项目列表</a>
<header><p class="org">阳城县中小企业发展促进中心</p><h1>阳城县创建中小企业高质量发展示范县绩效考核奖励资金项目公示</h1>
<p class="basis">依据《阳城县创建中小企业高质量发展示范县绩效考核奖励资金使用方案》（${esc(PLAN_DOCUMENT_NUMBER)}）</p></header>
<main><h2 id="search">查询</h2>
<form method="get" action="${PUBLIC_NOTICE_PATH}" role="search" aria-labelledby="search">
<label>支持事项<select name="item">${option('', '全部事项', filter.item === undefined)}${ITEMS.map((item) => option(String(item.id), `第${item.id}项 ${officialQuotes(item.nameZh)}`, filter.item === item.id)).join('')}</select></label>
<label>年度<select name="year">${option('', '全部年度', filter.year === undefined)}${input.years.map((year) => option(String(year), `${year}年`, filter.year === year)).join('')}</select></label>
<label>关键词<input type="search" name="q" value="${esc(filter.q ?? '')}" maxlength="100" placeholder="项目名称、单位或编号"></label>
<button type="submit">查询</button><a href="${PUBLIC_NOTICE_PATH}">清除条件</a></form>
<h2 id="list">项目列表${selection ? `（${esc(selection)}）` : ''}</h2>
<p class="summary">共 <strong>${input.count}</strong> 个项目，批准金额合计 <strong>${formatYuan(input.approvedFen)}</strong> 元，已拨付合计 <strong>${formatYuan(input.disbursedFen)}</strong> 元。
<a class="download" href="/api/v1/public/projects.csv${esc(queryOf(filter))}" download>下载 CSV（全部符合条件的项目）</a></p>
${table}
${nav}
<h2>说明</h2>
<ul><li>本页公示已批准的项目；申报中、审核未通过和已撤回的申报不予公示。</li>
<li>状态分为：${esc(states)}。项目在实施期间接受的检查、整改和暂缓执行等监督事项，结论作出前统一显示为“实施中”；项目停止执行的，在县财政局确认后显示为“已停止执行”。</li>
<li>绩效评价等级在县财政局审查通过后公示。金额单位为元。</li></ul></main>
<footer><p>数据截至 ${esc(formatBeijingMinute(input.now))}（北京时间）。本页由系统自动生成。</p></footer></body></html>`;
}
