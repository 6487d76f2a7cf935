import { useTranslation } from 'react-i18next';

export interface CoverageBar {
  key: string;
  label: string;
  covered: number;
  uncovered: number;
  systemicUncovered: number;
  onClick: () => void;
}

const BAR_HEIGHT = 22;
const GAP = 8;
const LABEL_WIDTH = 190;
const CHART_WIDTH = 720;
const COLORS = { covered: '#12b886', uncovered: '#adb5bd', systemicUncovered: '#e03131' };

/**
 * Horizontal stacked bars: covered, uncovered situational and uncovered systemic problems.
 * Plain SVG: a dozen bars need no chart library, and the same markup serves exports.
 */
export function CoverageChart(props: { bars: CoverageBar[]; title: string }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...props.bars.map((bar) => bar.covered + bar.uncovered));
  const plot = CHART_WIDTH - LABEL_WIDTH - 50;
  const height = props.bars.length * (BAR_HEIGHT + GAP) + 30;
  const scale = (value: number) => (value / max) * plot;
  return (
    <svg
      viewBox={`0 0 ${CHART_WIDTH} ${height}`}
      width="100%"
      style={{ maxWidth: CHART_WIDTH }}
      role="img"
      aria-label={props.title}
      data-testid="coverage-chart"
    >
      <g transform="translate(0, 4)" fontSize="12">
        {(
          [
            ['covered', t('registry.coverage.covered')],
            ['uncovered', t('registry.coverage.uncovered')],
            ['systemicUncovered', t('registry.coverage.uncoveredSystemic')],
          ] as const
        ).map(([key, label], i) => (
          <g key={key} transform={`translate(${LABEL_WIDTH + i * 170}, 0)`}>
            <rect width="12" height="12" rx="2" fill={COLORS[key]} />
            <text x="18" y="10" className="coverage-bar-label">
              {label}
            </text>
          </g>
        ))}
      </g>
      {props.bars.map((bar, i) => {
        const y = 26 + i * (BAR_HEIGHT + GAP);
        const uncoveredSituational = bar.uncovered - bar.systemicUncovered;
        return (
          <g
            key={bar.key}
            transform={`translate(0, ${y})`}
            onClick={bar.onClick}
            style={{ cursor: 'pointer' }}
            role="link"
            aria-label={`${bar.label}: ${bar.covered} / ${bar.uncovered}`}
            data-testid="coverage-bar"
          >
            <text x={LABEL_WIDTH - 8} y={BAR_HEIGHT / 2 + 4} textAnchor="end" className="coverage-bar-label">
              {bar.label.length > 28 ? `${bar.label.slice(0, 27)}…` : bar.label}
            </text>
            <rect x={LABEL_WIDTH} width={scale(bar.covered)} height={BAR_HEIGHT} fill={COLORS.covered} />
            <rect x={LABEL_WIDTH + scale(bar.covered)} width={scale(uncoveredSituational)} height={BAR_HEIGHT} fill={COLORS.uncovered} />
            <rect
              x={LABEL_WIDTH + scale(bar.covered + uncoveredSituational)}
              width={scale(bar.systemicUncovered)}
              height={BAR_HEIGHT}
              fill={COLORS.systemicUncovered}
            />
            <text x={LABEL_WIDTH + scale(bar.covered + bar.uncovered) + 6} y={BAR_HEIGHT / 2 + 4} className="coverage-bar-label">
              {bar.covered + bar.uncovered}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
