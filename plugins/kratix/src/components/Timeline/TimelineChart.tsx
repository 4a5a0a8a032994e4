import type { CSSProperties, ReactNode } from 'react';
import { Typography, makeStyles, type Theme } from '@material-ui/core';
import type { TimelineItem, TimelineModel, Tone } from './model';
import { formatDuration, formatTimestamp } from '../../utils/time';

const LABEL_WIDTH = 200;

const toneColor = (theme: Theme, tone: Tone): string =>
  ({
    ok: theme.palette.success?.main ?? '#2e7d32',
    error: theme.palette.error.main,
    progress: theme.palette.info?.main ?? '#0288d1',
    pending: theme.palette.grey[500],
    warning: theme.palette.warning?.main ?? '#ed6c02',
    neutral: theme.palette.grey[600],
  }[tone]);

const useStyles = makeStyles(theme => ({
  root: { width: '100%', overflowX: 'auto' },
  inner: { minWidth: 560 },
  row: {
    display: 'flex',
    alignItems: 'center',
    minHeight: 28,
    borderBottom: `1px dashed ${theme.palette.divider}`,
  },
  label: {
    width: LABEL_WIDTH,
    flexShrink: 0,
    paddingRight: theme.spacing(1),
    fontSize: theme.typography.body2.fontSize,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  kind: {
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
    marginLeft: theme.spacing(0.5),
  },
  track: { position: 'relative', flexGrow: 1, height: 22 },
  bar: {
    position: 'absolute',
    top: 3,
    height: 16,
    borderRadius: 3,
    minWidth: 3,
    color: theme.palette.common.white,
    fontSize: 11,
    lineHeight: '16px',
    paddingLeft: 4,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'clip',
    boxSizing: 'border-box',
    opacity: 0.9,
    '&:hover': {
      opacity: 1,
      outline: `2px solid ${theme.palette.text.primary}`,
    },
  },
  ongoing: {
    backgroundImage:
      'repeating-linear-gradient(45deg, rgba(255,255,255,0.25) 0, rgba(255,255,255,0.25) 6px, transparent 6px, transparent 12px)',
  },
  dot: {
    position: 'absolute',
    top: 5,
    width: 12,
    height: 12,
    marginLeft: -6,
    borderRadius: '50%',
    border: `2px solid ${theme.palette.background.paper}`,
    boxSizing: 'border-box',
  },
  // A Work's transitions are diamonds, so they stand apart from conditions and events (circles).
  workDot: { borderRadius: 2, transform: 'rotate(45deg)' },
  axis: { display: 'flex', height: 20 },
  axisTrack: { position: 'relative', flexGrow: 1 },
  tick: {
    position: 'absolute',
    transform: 'translateX(-50%)',
    fontSize: 11,
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    textAlign: 'center',
  },
  now: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    borderLeft: `2px solid ${theme.palette.primary.main}`,
    pointerEvents: 'none',
  },
  overlay: { position: 'relative' },
  overlayTrack: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    left: LABEL_WIDTH,
    right: 0,
    pointerEvents: 'none',
  },
}));

const KIND_LABEL = {
  completion: 'workflow',
  job: 'run',
  work: 'work',
  condition: 'condition',
  event: '',
} as const;

function describe(item: TimelineItem): string {
  const { entry } = item;
  const parts = [
    `${entry.title}${entry.status ? `: ${entry.status}` : ''}`,
    entry.reason,
    entry.message,
    `${formatTimestamp(item.start)}${
      item.end > item.start
        ? ` → ${item.ongoing ? 'now' : formatTimestamp(item.end)}`
        : ''
    }`,
    item.end > item.start
      ? `${item.ongoing ? 'for ' : 'took '}${formatDuration(
          item.end - item.start,
        )}`
      : undefined,
    entry.generation !== undefined
      ? `generation ${entry.generation}`
      : undefined,
  ];
  return parts.filter(Boolean).join('\n');
}

/** The first and last tick labels stay inside the axis; the others are centred on their tick. */
function tickTransform(index: number, count: number): string | undefined {
  if (index === 0) return 'none';
  if (index === count - 1) return 'translateX(-100%)';
  return undefined;
}

function tickAlign(index: number, count: number): 'left' | 'right' | 'center' {
  if (index === 0) return 'left';
  if (index === count - 1) return 'right';
  return 'center';
}

/**
 * The room a tick label has, as a share of the axis: a centred label gets one tick interval, the
 * first and last (aligned to the ends) half of one, so neighbouring labels never overlap on a narrow
 * axis; a label that does not fit is cut with an ellipsis, the full time in its tooltip.
 */
function tickMaxWidth(index: number, count: number): string {
  const step = 100 / Math.max(1, count - 1);
  return `${index === 0 || index === count - 1 ? step / 2 : step}%`;
}

function tickLabel(time: number, span: number): string {
  const date = new Date(time);
  if (span < 24 * 3600_000) {
    return date.toLocaleTimeString(undefined, {
      hour: '2-digit',
      minute: '2-digit',
      second: span < 3600_000 ? '2-digit' : undefined,
    });
  }
  return date.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Lanes on one time axis: condition states as spans, workflow runs as bars with durations, events as dots. */
export function TimelineChart(props: { model: TimelineModel; now: number }) {
  const { model, now } = props;
  const classes = useStyles();
  const span = model.end - model.start;
  const pct = (t: number) => `${((t - model.start) / span) * 100}%`;
  const width = (item: TimelineItem) =>
    `${((item.end - item.start) / span) * 100}%`;

  return (
    <div className={classes.root} data-testid="kratix-timeline-chart">
      <div className={`${classes.inner} ${classes.overlay}`}>
        <div className={classes.axis}>
          <div style={{ width: LABEL_WIDTH, flexShrink: 0 }} />
          <div className={classes.axisTrack}>
            {model.ticks.map((tick, i) => (
              <span
                key={tick}
                className={classes.tick}
                style={{
                  left: pct(tick),
                  transform: tickTransform(i, model.ticks.length),
                  maxWidth: tickMaxWidth(i, model.ticks.length),
                  textAlign: tickAlign(i, model.ticks.length),
                }}
                title={formatTimestamp(tick)}
              >
                {tickLabel(tick, span)}
              </span>
            ))}
          </div>
        </div>
        {model.lanes.map(lane => (
          <div
            className={classes.row}
            key={lane.id}
            data-testid="kratix-timeline-lane"
          >
            <div className={classes.label} title={lane.title}>
              {lane.title}
              {KIND_LABEL[lane.kind] && (
                <span className={classes.kind}>{KIND_LABEL[lane.kind]}</span>
              )}
            </div>
            <div className={classes.track}>
              {lane.items.map((item, i) => {
                const text = describe(item);
                const style = { left: pct(item.start) };
                return item.end > item.start ? (
                  <ToneBox
                    key={i}
                    className={`${classes.bar} ${
                      item.ongoing ? classes.ongoing : ''
                    }`}
                    tone={item.tone}
                    style={{ ...style, width: width(item) }}
                    title={text}
                  >
                    {lane.kind === 'job'
                      ? formatDuration(item.end - item.start)
                      : item.label}
                  </ToneBox>
                ) : (
                  <ToneBox
                    key={i}
                    className={
                      lane.kind === 'work'
                        ? `${classes.dot} ${classes.workDot}`
                        : classes.dot
                    }
                    tone={item.tone}
                    style={style}
                    title={text}
                  />
                );
              })}
            </div>
          </div>
        ))}
        {now >= model.start && now <= model.end && (
          <div className={classes.overlayTrack}>
            <div
              className={classes.now}
              style={{ left: pct(now) }}
              title="now"
            />
          </div>
        )}
      </div>
      {model.lanes.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          Nothing recorded yet.
        </Typography>
      )}
    </div>
  );
}

const useToneStyles = makeStyles(theme => ({
  ok: { backgroundColor: toneColor(theme, 'ok') },
  error: { backgroundColor: toneColor(theme, 'error') },
  progress: { backgroundColor: toneColor(theme, 'progress') },
  pending: { backgroundColor: toneColor(theme, 'pending') },
  warning: { backgroundColor: toneColor(theme, 'warning') },
  neutral: { backgroundColor: toneColor(theme, 'neutral') },
}));

function ToneBox(props: {
  tone: Tone;
  className: string;
  style: CSSProperties;
  title: string;
  children?: ReactNode;
}) {
  const tones = useToneStyles();
  return (
    <div
      className={`${props.className} ${tones[props.tone]}`}
      style={props.style}
      title={props.title}
      role="img"
      aria-label={props.title.split('\n')[0]}
      data-tone={props.tone}
    >
      {props.children}
    </div>
  );
}
