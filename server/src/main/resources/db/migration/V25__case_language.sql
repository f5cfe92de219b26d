-- The language a person is reminded and called in (issue 4: zh-CN first, en too): the reminder template and the IVR
-- script of that language are used. Cases pushed before this version, and pushes without one, are zh-CN.
ALTER TABLE cases ADD COLUMN language VARCHAR(8) NOT NULL DEFAULT 'zh-CN';
