import { Button, CopyButton, TextInput } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

interface OneTimeSecretProps {
  /** What it is: "Temporary password", "API token". */
  label: string;
  value: string;
}

/** A secret shown once: large enough to read out, selected whole on a click, with a button to copy it. */
export function OneTimeSecret({ label, value }: OneTimeSecretProps) {
  return (
    <TextInput
      label={label}
      value={value}
      readOnly
      size="md"
      onFocus={(event) => event.currentTarget.select()}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontWeight: 600 } }}
      rightSectionWidth={96}
      rightSection={
        <CopyButton value={value} timeout={2500}>
          {({ copied, copy }) => (
            <Button
              size="compact-sm"
              variant={copied ? 'light' : 'filled'}
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              onClick={copy}
              aria-label={copied ? 'Copied' : `Copy ${label.toLowerCase()}`}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      }
    />
  );
}
