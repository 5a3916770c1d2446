import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { BUSINESS_DATE_FORMAT, isBusinessDate } from '../lib/business-date-input.ts';

/**
 * A calendar day as the forms keep it ("2026-12-05", a Beijing business date), shown and typed as
 * YYYY-MM-DD with a Chinese calendar. A native <input type="date"> follows the browser's own
 * locale (mm/dd/yyyy in an English-language Chromium), which a county reader should not meet.
 */
export function DateField(props: { id?: string; value?: string | null; onChange?: (value: string | undefined) => void; disabled?: boolean; 'aria-label'?: string; width?: number }) {
  const value = props.value && isBusinessDate(props.value) ? dayjs(props.value, BUSINESS_DATE_FORMAT) : null;
  return (
    <DatePicker
      {...(props.id ? { id: props.id } : {})}
      {...(props['aria-label'] ? { 'aria-label': props['aria-label'] } : {})}
      value={value}
      format={BUSINESS_DATE_FORMAT}
      placeholder={BUSINESS_DATE_FORMAT}
      disabled={props.disabled}
      style={{ width: props.width ?? '100%' }}
      onChange={(next) => props.onChange?.(next ? next.format(BUSINESS_DATE_FORMAT) : undefined)}
      // A typed day counts at once, not only when the field loses focus: a form confirmed straight
      // after typing must not miss it.
      onCalendarChange={(next) => {
        if (next && !Array.isArray(next)) props.onChange?.((next as dayjs.Dayjs).format(BUSINESS_DATE_FORMAT));
      }}
    />
  );
}
