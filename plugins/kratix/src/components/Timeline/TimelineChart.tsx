import {
  memo,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { Typography, makeStyles, type Theme } from '@material-ui/core';
import {
  laneName,
  type TimelineItem,
  type TimelineModel,
  type Tone,
} from './model';
import {
  dateFormatter,
  formatDuration,
  formatTimestamp,
} from '../../utils/time';

/** Room for a lane's label; a longer one (a Work's name) wraps onto more lines, never cut. */
const LABEL_WIDTH = 220;

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
  inner: { minWidth: 480 },
  row: {
    display: 'flex',
    alignItems: 'center',
    minHeight: 28,
    borderBottom: `1px dashed ${theme.palette.divider}`,
  },
  label: {
    width: LABEL_WIDTH,
    flexShrink: 0,
    boxSizing: 'border-box',
    padding: theme.spacing(0.5, 1, 0.5, 0),
    fontSize: theme.typography.body2.fontSize,
    lineHeight: 1.3,
    // Wrap at word boundaries (and after the hyphens and dots of resource names); break inside a
    // token only when it is longer than the whole column.
    whiteSpace: 'normal',
    overflowWrap: 'break-word',
  },
  kind: {
    display: 'block',
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
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
  nowAfter: {
    display: 'block',
    textAlign: 'right',
    marginTop: theme.spacing(0.5),
  },
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

const useToneStyles = makeStyles(theme => ({
  ok: { backgroundColor: toneColor(theme, 'ok') },
  error: { backgroundColor: toneColor(theme, 'error') },
  progress: { backgroundColor: toneColor(theme, 'progress') },
  pending: { backgroundColor: toneColor(theme, 'pending') },
  warning: { backgroundColor: toneColor(theme, 'warning') },
  neutral: { backgroundColor: toneColor(theme, 'neutral') },
}));

/** An item's name: what and its status (`PipelineCompleted: True`), or who acted (`Paused by …`). */
function itemName(item: TimelineItem): string {
  const { entry } = item;
  if (entry.source === 'action') {
    return entry.status ? `${entry.title} by ${entry.status}` : entry.title;
  }
  return `${entry.title}${entry.status ? `: ${entry.status}` : ''}`;
}

function describe(item: TimelineItem): string {
  const { entry } = item;
  const parts = [
    itemName(item),
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

/**
 * A label that would cross an end of the axis if centred (within half its room of the end) is
 * aligned to that end instead, so the chart never grows wider than its box; the others are centred.
 */
export function tickTransform(
  share: number,
  halfRoom: number,
): string | undefined {
  if (share < Math.max(0.06, halfRoom)) return 'none';
  if (share > Math.min(0.94, 1 - halfRoom)) return 'translateX(-100%)';
  return undefined;
}

/** A tick's time, as precise as the ticks' step: seconds only when ticks are seconds apart. */
function tickLabel(time: number, span: number, step: number): string {
  const date = new Date(time);
  if (span < 24 * 3600_000) {
    return dateFormatter({
      hour: '2-digit',
      minute: '2-digit',
      ...(step < 60_000 ? { second: '2-digit' } : {}),
    }).format(date);
  }
  return dateFormatter({
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/**
 * Lanes on one time axis zoomed to the activity: condition states as spans, workflow runs as bars
 * with durations, events as dots. A span that holds until now runs to the axis' end when now lies
 * beyond it.
 */
export const TimelineChart = memo(function TimelineChartContent(props: {
  model: TimelineModel;
  now: number;
  /** A workflow run's bar opens its logs. */
  onOpenLogs?: (job: string) => void;
}) {
  const { model, now, onOpenLogs } = props;
  const classes = useStyles();
  // One style hook for every mark: a hook per mark cost more than the mark itself at 500 entries.
  const tones = useToneStyles();
  const span = model.end - model.start;
  const clamp = (t: number) => Math.min(model.end, Math.max(model.start, t));
  const share = (t: number) => (clamp(t) - model.start) / span;
  const pct = (t: number) => `${share(t) * 100}%`;
  const width = (item: TimelineItem) =>
    `${((clamp(item.end) - clamp(item.start)) / span) * 100}%`;
  const step = model.ticks.length > 1 ? model.ticks[1] - model.ticks[0] : span;
  const tickRoom = `${(step / span) * 100}%`;

  return (
    <div
      className={classes.root}
      data-testid="kratix-timeline-chart"
      role="figure"
      aria-label={`Timeline from ${formatTimestamp(
        model.start,
      )} to ${formatTimestamp(model.end)}`}
    >
      <div className={`${classes.inner} ${classes.overlay}`}>
        <div className={classes.axis} aria-hidden>
          <div style={{ width: LABEL_WIDTH, flexShrink: 0 }} />
          <div className={classes.axisTrack}>
            {model.ticks.map(tick => (
              <span
                key={tick}
                className={classes.tick}
                style={{
                  left: pct(tick),
                  transform: tickTransform(share(tick), step / span / 2),
                  maxWidth: tickRoom,
                }}
                title={formatTimestamp(tick)}
              >
                {tickLabel(tick, span, step)}
              </span>
            ))}
          </div>
        </div>
        {model.lanes.map(lane => (
          <div
            className={classes.row}
            key={lane.id}
            data-testid="kratix-timeline-lane"
            role="group"
            aria-label={laneName(lane)}
          >
            <div className={classes.label}>
              {lane.title}
              {lane.caption && (
                <span className={classes.kind}>{lane.caption}</span>
              )}
            </div>
            <div className={classes.track}>
              {lane.items.map((item, i) => {
                const text = describe(item);
                const style = { left: pct(item.start) };
                const job = lane.kind === 'job' ? item.entry.job : undefined;
                return item.end > item.start ? (
                  <ToneBox
                    key={i}
                    onOpen={
                      job && onOpenLogs ? () => onOpenLogs(job) : undefined
                    }
                    className={`${classes.bar} ${
                      item.ongoing ? classes.ongoing : ''
                    }`}
                    tone={item.tone}
                    toneClass={tones[item.tone]}
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
                    toneClass={tones[item.tone]}
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
              // At the axis' very end the 2 px line is drawn inside it, not past it.
              style={share(now) > 0.99 ? { right: 0 } : { left: pct(now) }}
              title="now"
            />
          </div>
        )}
      </div>
      {model.lanes.length > 0 && now > model.end && (
        <Typography
          variant="caption"
          color="textSecondary"
          className={classes.nowAfter}
          data-testid="kratix-timeline-now-after"
        >
          Now: {formatDuration(now - model.end)} after the last activity →
        </Typography>
      )}
      {model.lanes.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          Nothing recorded yet.
        </Typography>
      )}
    </div>
  );
});

function ToneBox(props: {
  tone: Tone;
  /** The tone's colour class (from useToneStyles, made once by the chart). */
  toneClass: string;
  className: string;
  style: CSSProperties;
  title: string;
  children?: ReactNode;
  /** A run's bar is a button opening its logs. */
  onOpen?: () => void;
}) {
  const { onOpen } = props;
  const name = props.title.split('\n')[0];
  return (
    <div
      className={`${props.className} ${props.toneClass}`}
      style={onOpen ? { ...props.style, cursor: 'pointer' } : props.style}
      title={onOpen ? `${props.title}\nClick for its logs` : props.title}
      role={onOpen ? 'button' : 'img'}
      aria-label={onOpen ? `${name}: open its logs` : name}
      data-tone={props.tone}
      {...(onOpen && {
        tabIndex: 0,
        onClick: onOpen,
        onKeyDown: (e: KeyboardEvent) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onOpen();
          }
        },
      })}
    >
      {props.children}
    </div>
  );
}
