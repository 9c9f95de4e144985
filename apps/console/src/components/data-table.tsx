import type { ReactNode } from 'react';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
}

/**
 * A plain, semantic table (screen readers announce headers and the row's first cell as its name).
 * The first column is the row header; `captionHidden` keeps the caption for assistive technology
 * only, where the page's heading already says what the table is. A table wider than the screen
 * scrolls inside its wrapper, which keyboard users can then focus and scroll too.
 */
export function DataTable<Row>(props: {
  caption: string;
  captionHidden?: boolean;
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  columns: Column<Row>[];
}) {
  const [first, ...rest] = props.columns;
  if (!first) return null;
  return (
    <div className="table-wrap" role="region" aria-label={props.caption} tabIndex={0}>
      <table>
        <caption className={props.captionHidden ? 'visually-hidden' : undefined}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" key={column.header}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              <th scope="row">{first.cell(row)}</th>
              {rest.map((column) => (
                <td key={column.header}>{column.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
