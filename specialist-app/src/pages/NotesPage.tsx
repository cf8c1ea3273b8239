import { MyNotes } from '@telemed/web-ui';

/** `/notes`: the specialist's drafts, signed and amended notes. */
export function NotesPage() {
  return <MyNotes />;
}
