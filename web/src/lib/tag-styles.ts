/**
 * antd's success and warning tags put light green or amber text on a pale ground (about 3:1,
 * below WCAG AA's 4.5:1, which axe reports); these keep the colours and reach AA.
 */
export const SUCCESS_TAG = { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' } as const;
export const WARNING_TAG = { color: '#7c4a03', background: '#fffbe6', borderColor: '#ffe58f' } as const;
