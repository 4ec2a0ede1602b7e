import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityComplianceSnapshot,
  ResourceSummary,
} from '@backup-compliance/backstage-plugin-common';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { useEntityName } from '../../hooks/useEntityName';
import { backupComplianceApiRef, EntityResource } from '../../api';
import { ResourceVerdict } from './ResourceVerdict';
import { AccountRegion, Arn, Lines, NBSP, Unbroken } from './LineBreaks';

type JudgedResource = EntityComplianceSnapshot['resources'][number];

type Row = EntityResource &
  Pick<JudgedResource, 'status' | 'notPassing' | 'summary'> & {
    /** Whether the entity has a verdict at all. */
    evaluated: boolean;
  };

function consoleUrl(resource: Row) {
  const arn = encodeURIComponent(resource.resourceArn);
  return `https://${resource.region}.console.aws.amazon.com/backup/home?region=${resource.region}#/resources/${arn}`;
}

const KEY_TYPES: Record<string, string> = {
  CUSTOMER_MANAGED_KMS_KEY: 'customer-managed',
  AWS_OWNED_KMS_KEY: 'AWS-owned',
};

/** How far ahead a time is, in the unit that reads best: `in 45 min`, `in 9 h`, `in 3 d`. */
function fromNow(iso: string, now = Date.now()) {
  const minutes = Math.max(0, Math.round((Date.parse(iso) - now) / 60_000));
  if (minutes < 60) return `in ${minutes}${NBSP}min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours}${NBSP}h`;
  return `in ${Math.round(hours / 24)}${NBSP}d`;
}

/** A coming time: how far ahead, with the exact local time on hover. */
function Next({ label, at }: { label: string; at?: string }) {
  if (!at) return null;
  return (
    <Typography variant="caption" display="block" color="textSecondary">
      {label}{' '}
      <time dateTime={at} title={new Date(at).toLocaleString()}>
        <Unbroken>{fromNow(at)}</Unbroken>
      </time>
    </Typography>
  );
}

function NewestPoint({ row }: { row: Row }) {
  const s = row.summary;
  if (s?.continuous) {
    // A running continuous backup meets the RPO however old its point is: its
    // age says nothing, a snapshot taken beside it does.
    const { since, windowDays } = s.continuous;
    const snapshot =
      s.newestPointAgeHours !== undefined && s.newestPointAt !== since;
    return (
      <>
        <StatusOK>
          {/* one flex item, so that it wraps as text */}
          <span>
            continuous (PITR)
            {windowDays !== undefined && (
              <>
                , <Unbroken>{windowDays}-day</Unbroken> window
              </>
            )}
          </span>
        </StatusOK>
        {snapshot && (
          <Typography variant="caption" display="block" color="textSecondary">
            newest snapshot {s.newestPointAgeHours}
            {NBSP}h ago
          </Typography>
        )}
      </>
    );
  }
  if (s?.newestPointAgeHours !== undefined) {
    const text = `${s.newestPointAgeHours}${NBSP}h ago (RPO ${s.rpoHours}${NBSP}h)`;
    return s.newestPointAgeHours <= s.rpoHours ? (
      <StatusOK>{text}</StatusOK>
    ) : (
      <StatusError>{text}</StatusError>
    );
  }
  if (row.lastBackupTime) {
    return <StatusOK>{new Date(row.lastBackupTime).toLocaleString()}</StatusOK>;
  }
  return <StatusWarning>No backup found</StatusWarning>;
}

function retention(s?: ResourceSummary) {
  if (!s) return [];
  return (['daily', 'monthly', 'yearly'] as const)
    .filter(t => s.retentionDays[t] !== undefined)
    .map(
      t =>
        `${t} ${
          s.retentionDays[t] === null ? 'forever' : `${s.retentionDays[t]} d`
        }`,
    );
}

const STORAGE_CLASS = { WARM: 'from warm', COLD: 'from cold' } as const;

function restoreTest(s?: ResourceSummary) {
  const t = s?.lastRestoreTest;
  if (!t) return 'none';
  const parts = [t.status, t.validation && `validation ${t.validation}`]
    .filter(Boolean)
    .join(', ');
  const duration =
    t.minutes !== undefined
      ? `, ${t.minutes}${NBSP}min (RTO${NBSP}${s!.rtoMinutes})`
      : '';
  return (
    <>
      {parts}
      {duration}
      {t.storageClass && `, ${STORAGE_CLASS[t.storageClass]}`}
      {t.at && (
        <>
          {' on '}
          <Unbroken>{t.at.slice(0, 10)}</Unbroken>
        </>
      )}
    </>
  );
}

// Backstage's table breaks words anywhere (`word-break: break-word`), which
// splits account ids; here words stay whole and the cells are a little tighter.
const CELL = {
  cellStyle: {
    wordBreak: 'normal',
    padding: '8px 6px 8px 10px',
    verticalAlign: 'top',
  },
  headerStyle: { padding: '8px 6px 8px 10px' },
} as const;

function columns(titles: Map<string, string>): TableColumn<Row>[] {
  const all: TableColumn<Row>[] = [
    {
      title: 'Resource',
      render: r => (
        <>
          <Link to={consoleUrl(r)}>{r.resourceArn.split(/[:/]/).pop()}</Link>
          <Typography variant="body2" display="block">
            {r.summary?.resourceType ??
              r.resourceType ??
              r.resourceArn.split(':')[2]}
          </Typography>
          <Typography variant="caption" display="block" color="textSecondary">
            <Arn arn={r.resourceArn} />
          </Typography>
        </>
      ),
    },
    {
      title: 'Account / region',
      render: r => (
        <>
          <Unbroken>{r.accountId}</Unbroken> <Unbroken>{r.region}</Unbroken>
        </>
      ),
    },
    {
      title: 'Verdict',
      render: r => (
        <ResourceVerdict
          status={r.status}
          notPassing={r.notPassing}
          titles={titles}
          evaluated={r.evaluated}
        />
      ),
    },
    {
      title: 'Newest point',
      render: r => (
        <>
          <NewestPoint row={r} />
          <Next label="next backup" at={r.summary?.nextBackupAt} />
        </>
      ),
    },
    {
      title: 'Retention kept',
      render: r => (
        <Lines
          items={[
            ...retention(r.summary).map(t => <Unbroken key={t}>{t}</Unbroken>),
            ...(r.summary?.coldPoints
              ? [
                  `${r.summary.coldPoints} point${
                    r.summary.coldPoints > 1 ? 's' : ''
                  } in cold storage`,
                ]
              : []),
            // a hold keeps points past their retention
            ...(r.summary?.legalHolds
              ? [
                  `${r.summary.legalHolds} legal hold${
                    r.summary.legalHolds > 1 ? 's' : ''
                  } active`,
                ]
              : []),
          ]}
          empty={r.summary ? 'none' : ''}
        />
      ),
    },
    {
      title: 'Vault (lock), key',
      render: r => (
        <Lines
          items={[
            ...(r.summary?.vaults ?? []).map(v => (
              <>
                <Unbroken>{v.name}</Unbroken> <Unbroken>({v.lock})</Unbroken>
              </>
            )),
            ...(r.summary?.keyTypes ?? []).map(k => (
              <>
                <Unbroken>{KEY_TYPES[k] ?? k}</Unbroken> key
              </>
            )),
          ]}
          empty=""
        />
      ),
    },
    {
      title: 'Copies',
      render: r => (
        <Lines
          items={(r.summary?.copies ?? []).map(c => (
            <AccountRegion key={c} value={c} />
          ))}
          empty={r.summary ? 'none' : ''}
        />
      ),
    },
    {
      title: 'Last restore test',
      render: r => (
        <>
          {restoreTest(r.summary)}
          <Next label="next test" at={r.summary?.nextRestoreTestAt} />
        </>
      ),
    },
  ];
  return all.map(c => ({ ...CELL, ...c }));
}

/** The AWS resources whose tags match the entity's annotation, as last collected and judged. */
export const EntityResourcesCard = () => {
  const api = useApi(backupComplianceApiRef);
  const { namespace, kind, name } = useEntityName();
  const result = useAsync(async () => {
    const [resources, snapshot, checks] = await Promise.all([
      api.getEntityResources({ namespace, kind, name }),
      api.getEntityCompliance({ namespace, kind, name }),
      api.getChecks(),
    ]);
    return {
      resources,
      snapshot,
      titles: new Map(checks.map(c => [c.id, c.title])),
    };
  }, [api, namespace, kind, name]);

  if (result.loading) {
    return <Progress />;
  }
  if (result.error) {
    return (
      <ResponseErrorPanel
        error={result.error}
        title="Could not load the AWS resources"
      />
    );
  }
  const { resources, snapshot, titles } = result.value!;
  const judged = new Map(
    snapshot?.resources.map(r => [`${r.accountId}/${r.region}/${r.arn}`, r]),
  );
  const rows: Row[] = resources.resources.map(r => {
    const j = judged.get(`${r.accountId}/${r.region}/${r.resourceArn}`);
    return {
      ...r,
      status: j?.status,
      notPassing: j?.notPassing,
      summary: j?.summary,
      evaluated: snapshot !== undefined,
    };
  });
  let empty =
    'No AWS resource carries all of these tags in the configured accounts and regions.';
  if (!resources.optedIn) {
    empty =
      'Not collected yet: the next collection cycle will look for resources with these tags.';
  }
  return (
    <InfoCard title={`AWS resources (${rows.length})`}>
      <Table
        options={{
          search: false,
          paging: false,
          toolbar: false,
          padding: 'dense',
          // its cells are rendered, not fields: nothing to sort or drag by
          sorting: false,
          draggable: false,
        }}
        columns={columns(titles)}
        data={rows}
        emptyContent={<Typography style={{ padding: 16 }}>{empty}</Typography>}
      />
    </InfoCard>
  );
};
