import { useKiosk } from '../store.ts';
import { useT } from '../i18n.ts';
import { RecentList } from './RecentList.tsx';
import { ResultBanner } from './ResultBanner.tsx';
import { ScanInput } from './ScanInput.tsx';
import { SearchResults } from './SearchResults.tsx';
import { TopBar } from './TopBar.tsx';
import { WalkInDialog } from './WalkInDialog.tsx';

export function DoorScreen() {
  const t = useT();
  const walkInOpen = useKiosk((s) => s.walkInOpen);
  const setWalkInOpen = useKiosk((s) => s.setWalkInOpen);
  return (
    <div className="door">
      <TopBar />
      <main>
        <section className="scan-column">
          <ScanInput disabled={walkInOpen} />
          <ResultBanner />
          <SearchResults />
        </section>
        <aside>
          <button type="button" className="primary" data-testid="walk-in-open" onClick={() => setWalkInOpen(true)}>
            {t('door.walkIn')}
          </button>
          <RecentList />
        </aside>
      </main>
      {walkInOpen && <WalkInDialog />}
    </div>
  );
}
