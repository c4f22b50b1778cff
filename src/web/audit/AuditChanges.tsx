import { Anchor, List, Text } from '@mantine/core';
import { useState } from 'react';
import { Dash } from '../ui/Value.tsx';
import { type ChangeLine, lineText } from './audit-format.ts';

interface AuditChangesProps {
  lines: ChangeLine[];
  /** How many lines show before "Show all". */
  visible?: number;
}

function Shown({ value }: { value: string | null }) {
  return value === null ? <Dash /> : <span className="pre-wrap">{value}</span>;
}

function Line({ line, clamp }: { line: ChangeLine; clamp: boolean }) {
  return (
    <Text size="sm" lineClamp={clamp ? 2 : undefined} style={{ overflowWrap: 'anywhere' }}>
      <Text span inherit fw={500}>
        {line.kind === 'changed' ? line.label : `${line.label}:`}
      </Text>{' '}
      {line.kind === 'change' ? (
        <>
          <Text span inherit c="dimmed">
            <Shown value={line.from} />
          </Text>{' '}
          <Text span inherit c="dimmed">
            →
          </Text>{' '}
          <Shown value={line.to} />
        </>
      ) : line.kind === 'value' ? (
        <Shown value={line.value} />
      ) : (
        'changed'
      )}
    </Text>
  );
}

/** The fields an event changed, a few at first, all on request. */
export function AuditChanges({ lines, visible = 3 }: AuditChangesProps) {
  const [expanded, setExpanded] = useState(false);
  if (lines.length === 0) return null;
  // One line more than `visible` is shown rather than hidden behind a button that reveals just it.
  const many = lines.length > visible + 1;
  const wordy = lines.some((line) => lineText(line).length > 140);
  const shown = expanded || !many ? lines : lines.slice(0, visible);
  return (
    <div>
      <List listStyleType="none" spacing={2} aria-label="Changes">
        {shown.map((line) => (
          <List.Item key={line.field}>
            <Line line={line} clamp={wordy && !expanded} />
          </List.Item>
        ))}
      </List>
      {many || wordy ? (
        <Anchor component="button" type="button" size="xs" onClick={() => setExpanded((open) => !open)} mt={2}>
          {expanded ? 'Show less' : many ? `Show all ${lines.length} fields` : 'Show more'}
        </Anchor>
      ) : null}
    </div>
  );
}
