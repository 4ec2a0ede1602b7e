import { CheckStatus } from '@backup-compliance/backstage-plugin-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import { StatusLabel } from '../ComplianceStatus';

/** How many failing checks a row names before "Show N more". */
const SHOWN = 3;

const WORDS: Record<CheckStatus, string> = {
  pass: 'pass',
  fail: 'fail',
  warn: 'warning',
  waived: 'waived',
  unknown: 'unknown',
};

const useStyles = makeStyles({
  // wide enough that a check's title takes a line or two, not four
  verdict: { minWidth: 150 },
  list: { margin: 0, paddingLeft: 16 },
  more: { padding: 0, minWidth: 0, textTransform: 'none' },
});

/**
 * One resource's own verdict: its worst status, and the titles of the checks
 * it does not pass, worst first. A check whose status differs from the worst
 * one says its status in words.
 */
export const ResourceVerdict = (props: {
  status?: CheckStatus;
  notPassing?: Array<{ checkId: string; status: CheckStatus }>;
  titles: Map<string, string>;
  evaluated: boolean;
}) => {
  const classes = useStyles();
  const [all, setAll] = useState(false);
  const { status, notPassing = [], titles } = props;
  if (!status) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.evaluated
          ? 'Judged per resource from the next evaluation'
          : 'Not evaluated yet'}
      </Typography>
    );
  }
  const shown = all ? notPassing : notPassing.slice(0, SHOWN);
  const hidden = notPassing.length - shown.length;
  return (
    <div className={classes.verdict}>
      <StatusLabel status={status} />
      {shown.length > 0 && (
        <Typography
          component="ul"
          variant="body2"
          className={classes.list}
          aria-label="Checks not passed"
        >
          {shown.map(c => (
            <li key={c.checkId}>
              {titles.get(c.checkId) ?? c.checkId}
              {c.status !== status && ` (${WORDS[c.status]})`}
            </li>
          ))}
        </Typography>
      )}
      {notPassing.length > SHOWN && (
        <Button
          size="small"
          color="primary"
          className={classes.more}
          onClick={() => setAll(!all)}
        >
          {all ? 'Show fewer' : `Show ${hidden} more`}
        </Button>
      )}
    </div>
  );
};
