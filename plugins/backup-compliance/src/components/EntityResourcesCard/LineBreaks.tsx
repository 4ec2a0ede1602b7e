import { makeStyles } from '@material-ui/core/styles';
import { Fragment, ReactNode } from 'react';

// Where a line of the resources table may break: never inside an account id,
// a region or a date; in an ARN or a list only between its parts.

const useStyles = makeStyles({
  nowrap: { whiteSpace: 'nowrap' },
  lines: { margin: 0, padding: 0, listStyle: 'none' },
});

/** Text a line never breaks inside: account ids, regions, ARN parts. */
export function Unbroken({ children }: { children: ReactNode }) {
  return <span className={useStyles().nowrap}>{children}</span>;
}

/** Between a number and its unit, so that `24 h` stays on one line. */
export const NBSP = '\u00a0';

/**
 * An ARN that breaks only after its `:` and `/` separators. Its last part, the
 * resource's own name, may also break after a hyphen, as the name does above it.
 */
export function Arn({ arn }: { arn: string }) {
  const parts = arn.split(/(?<=[:/])/);
  const name = parts.pop();
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          <Unbroken>{part}</Unbroken>
          <wbr />
        </Fragment>
      ))}
      {name}
    </>
  );
}

/** One item a line. */
export function Lines({ items, empty }: { items: ReactNode[]; empty: string }) {
  const classes = useStyles();
  if (items.length === 0) return <>{empty}</>;
  return (
    <ul className={classes.lines}>
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}

/** `account/region`, broken only after the slash. */
export function AccountRegion({ value }: { value: string }) {
  const [account, region] = value.split('/');
  return (
    <>
      <Unbroken>{account}/</Unbroken>
      <wbr />
      <Unbroken>{region}</Unbroken>
    </>
  );
}
