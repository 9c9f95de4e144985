import { useInfiniteQuery } from '@tanstack/react-query';
import { Button } from 'react-aria-components';

/**
 * A list route read page by page (`next_cursor` from the API), as one list: `rows` so far, and
 * `<LoadMore list={...} />` for the next page.
 */
export function useCursorList<Page extends { next_cursor: string | null }, Row>(options: {
  queryKey: readonly unknown[];
  fetchPage: (cursor: string | undefined) => Promise<Page>;
  rowsOf: (page: Page) => Row[];
}) {
  const query = useInfiniteQuery({
    queryKey: options.queryKey,
    queryFn: ({ pageParam }) => options.fetchPage(pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  return { ...query, rows: query.data?.pages.flatMap(options.rowsOf) ?? [] };
}

export function LoadMore({ list }: { list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  if (!list.hasNextPage) return null;
  return (
    <Button className="button" onPress={() => void list.fetchNextPage()} isDisabled={list.isFetchingNextPage}>
      {list.isFetchingNextPage ? 'Loading…' : 'Show more'}
    </Button>
  );
}
