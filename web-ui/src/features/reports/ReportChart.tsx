import { BarChart, type BarChartSeries } from '@mantine/charts';
import { Paper, Title } from '@mantine/core';

/**
 * In Arabic a chart reads from the right: the first group at the right. The values' axis stays on the left: on the
 * right, the RTL page anchors its numbers over the tick marks, where they read as minus signs.
 */
const axesFor = (locale: string) => (locale === 'ar' ? { xAxisProps: { reversed: true } } : {});

/** One titled bar chart of the report: its title names the figure for screen readers too. */
export function ReportChart(props: {
  title: string;
  data: Record<string, string | number>[];
  series: BarChartSeries[];
  locale: string;
  number: (value: number) => string;
  unit?: string;
}) {
  return (
    <Paper p="md" shadow="xs" role="figure" aria-label={props.title}>
      <Title order={2} size="h4" mb="sm">
        {props.title}
      </Title>
      <BarChart
        h={260}
        data={props.data}
        dataKey="label"
        {...axesFor(props.locale)}
        valueFormatter={props.number}
        unit={props.unit}
        series={props.series}
      />
    </Paper>
  );
}
