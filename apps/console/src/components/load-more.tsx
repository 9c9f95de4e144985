import { Button } from 'react-aria-components';

/** The cursor pages of a list route: one button, the API's next_cursor decides whether it shows. */
export function LoadMore(props: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown }) {
  if (!props.hasNextPage) return null;
  return (
    <Button className="button" onPress={() => void props.fetchNextPage()} isDisabled={props.isFetchingNextPage}>
      {props.isFetchingNextPage ? 'Loading…' : 'Show more'}
    </Button>
  );
}
