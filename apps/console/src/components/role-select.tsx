import { membershipRoles } from '@neurosphere/contracts';
import type { MembershipRoleName } from '@neurosphere/contracts';
import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

const ROLE_LABEL: Record<MembershipRoleName, string> = { viewer: 'Viewer', admin: 'Admin', owner: 'Owner' };

export function roleLabel(role: MembershipRoleName): string {
  return ROLE_LABEL[role];
}

export function RoleSelect(props: {
  label: string;
  value: MembershipRoleName;
  onChange: (role: MembershipRoleName) => void;
  isDisabled?: boolean;
  hideLabel?: boolean;
}) {
  return (
    <Select
      className="field select"
      selectedKey={props.value}
      onSelectionChange={(key) => props.onChange(key as MembershipRoleName)}
      isDisabled={props.isDisabled}
      {...(props.hideLabel ? { 'aria-label': props.label } : {})}
    >
      {props.hideLabel ? null : <Label>{props.label}</Label>}
      <Button className="button select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox">
          {membershipRoles.map((role) => (
            <ListBoxItem key={role} id={role} className="listbox-item">
              {ROLE_LABEL[role]}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
