import { Input } from 'antd';

/** The code in capitals as it is typed (the check is case-sensitive; people type lower case). */
export function CreditCodeInput(props: { value?: string; onChange?: (value: string) => void; id?: string }) {
  return (
    <Input
      id={props.id}
      value={props.value}
      onChange={(event) => props.onChange?.(event.target.value.toUpperCase())}
      maxLength={18}
      style={{ width: 220, fontFamily: 'monospace' }}
      autoComplete="off"
      spellCheck={false}
      placeholder="18 位代码"
    />
  );
}
