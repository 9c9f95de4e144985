import type { CallDay } from '@neurosphere/contracts';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "Mar 9" for 2026-03-09 (the API's dates are already the tenant's days: no time zone shift here). */
export function formatDay(date: string): string {
  return dayLabel.format(new Date(`${date}T00:00:00Z`));
}

/**
 * Calls per day as bars (Recharts, loaded on its own: the chart library stays out of the first
 * page's JavaScript). The same numbers are in a table beside it for screen readers and keyboards.
 */
export default function CallsPerDayChart({ days }: { days: CallDay[] }) {
  const data = days.map((day) => ({ day: formatDay(day.date), calls: day.calls }));
  return (
    <div aria-hidden="true" className="chart">
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 12, fill: '#545d68' }} interval="preserveStartEnd" />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: '#545d68' }} />
          <Tooltip />
          <Bar dataKey="calls" name="Calls" fill="#0b5cad" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
