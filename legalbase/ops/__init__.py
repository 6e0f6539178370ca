"""Operations on an instance: backup, restore and the consistency check."""
